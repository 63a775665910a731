#!/usr/bin/env node
// The prepack script of every published package: only pnpm replaces `workspace:` ranges with versions when packing,
// so a tarball made by npm (or yarn) would carry ranges that no user's npm can install (EUNSUPPORTEDPROTOCOL).
const userAgent = process.env.npm_config_user_agent ?? ''
if (!userAgent.startsWith('pnpm/')) {
  const packer = userAgent.split(' ')[0] || 'this package manager'
  console.error(
    `✗ ${process.env.npm_package_name ?? 'this package'}: packed by ${packer}, ` +
      'which leaves `workspace:` ranges that npm cannot install — ' +
      'pack and publish with pnpm instead: `npx -y pnpm@10.34.9 pack` / `npx -y pnpm@10.34.9 publish`.',
  )
  process.exit(1)
}
