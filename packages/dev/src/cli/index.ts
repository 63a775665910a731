import path from 'node:path'
import { runTokenServerCli } from '@page-module/wechat'
import { cac } from 'cac'
import { VERSION } from '../version'
import { addCustomApi, scaffoldCustomApi } from '../scaffold/scaffold-custom-api'
import { runDev, waitForSignal, type DevOptions } from './run-dev'
import { sm2KeyLines } from './sm2-keys'

export { runDev, type DevOptions } from './run-dev'

interface CliOutput {
  readonly print: (line: string) => void
  readonly printError: (line: string) => void
}

/** The `page-module` command. Resolves with the exit code. */
export async function runCli(
  argv: readonly string[],
  output: CliOutput = { print: (line) => console.log(line), printError: (line) => console.error(line) },
): Promise<number> {
  const cli = cac('page-module')
  let exitCode = 0

  cli
    .command('dev', 'Run the cloud functions of a folder on a local CloudBase emulator')
    .option('--functions <dir>', 'the folder of function folders', { default: './cloudfunctions' })
    .option('--port <port>', 'the port on 127.0.0.1 (default: a free one)')
    .option('--env <id>', 'the environment id', { default: 'local' })
    .option('--secret-id <id>', 'the secretId callers sign with (default: generated)')
    .option('--secret-key <key>', 'the secretKey callers sign with (default: generated)')
    .option('--app-id <appid>', 'the WeChat AppID the WeChat API endpoints accept (default: generated)')
    .option('--app-secret <secret>', 'its AppSecret (default: generated)')
    .option('--max-instances <n>', 'instances per function at most', { default: 8 })
    .option('--max-storage-file-bytes <n>', 'the largest file cloud storage takes (default: 100 MiB)')
    .option('--data <dir>', "the data folder (the database, stored files, functions' /tmp); kept between runs", {
      default: '.page-module/data',
    })
    .option('--reset', 'empty the data folder before starting')
    .option('--no-watch', 'do not reload functions when their files change')
    .action(async (flags: Record<string, string | number | boolean | undefined>) => {
      const port = flags.port === undefined ? 0 : Number(flags.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${String(flags.port)}`)
      const maxInstances = Number(flags.maxInstances)
      if (!Number.isInteger(maxInstances) || maxInstances < 1)
        throw new Error(`--max-instances must be a positive integer, got ${String(flags.maxInstances)}`)
      if ((flags.secretId === undefined) !== (flags.secretKey === undefined))
        throw new Error('give both --secret-id and --secret-key, or neither')
      if ((flags.appId === undefined) !== (flags.appSecret === undefined))
        throw new Error('give both --app-id and --app-secret, or neither')
      const options: DevOptions = {
        functionsDir: String(flags.functions),
        port,
        env: String(flags.env),
        maxInstances,
        dataDir: String(flags.data),
        reset: flags.reset === true,
        watch: flags.watch !== false,
        print: output.print,
        ...(flags.secretId === undefined ? {} : { secretId: String(flags.secretId), secretKey: String(flags.secretKey) }),
        ...(flags.appId === undefined ? {} : { appId: String(flags.appId), appSecret: String(flags.appSecret) }),
        ...(flags.maxStorageFileBytes === undefined ? {} : { maxStorageFileBytes: Number(flags.maxStorageFileBytes) }),
      }
      await runDev(options)
    })

  cli
    .command('create <kind> <dir>', "Scaffold a folder; kind: custom-api (the business function with a module's custom interfaces)")
    .option('--module <id>', 'the module id, e.g. tcb:SignUp')
    .option('--apis <names>', 'comma-separated interface names, e.g. sendPrize,getUser')
    .option('--api <name>', 'add one interface to an existing custom-api folder, e.g. getUser')
    .action((kind: string, dir: string, flags: { module?: string; apis?: string; api?: string }) => {
      if (kind !== 'custom-api') throw new Error(`unknown kind ${kind} — page-module create custom-api <dir> --module <id> --apis <a,b>`)
      if (flags.api !== undefined) {
        if (flags.module !== undefined || flags.apis !== undefined)
          throw new Error('--api adds to an existing folder: give it alone, without --module or --apis')
        output.print(`added ${path.join(dir, addCustomApi({ dir, api: String(flags.api) }))}`)
        return
      }
      if (!flags.module || !flags.apis) {
        throw new Error(
          '--module and --apis are required, e.g. --module tcb:SignUp --apis sendPrize (or --api <name> to add one to an existing folder)',
        )
      }
      const files = scaffoldCustomApi({
        dir,
        module: flags.module,
        apis: String(flags.apis)
          .split(',')
          .map((name) => name.trim()),
      })
      output.print(`created ${dir}: ${files.join(', ')}`)
    })

  cli
    .command('token-server', 'Serve WeChat access_tokens over HTTP to services in any language (GET /v1/token, POST /v1/token/invalidate)')
    .usage(
      'token-server [--port 8330] [--host 127.0.0.1] [--store memory|file:<path>|redis|redis://…] [--stable] [--api-base-url <url>]\n\n' +
        'Environment: PAGE_MODULE_TOKEN_SERVER_SECRET (the bearer secret), WECHAT_APPS (appid:secret[,appid:secret…]), ' +
        'REDIS_URL (for --store redis)',
    )
    .allowUnknownOptions()
    .action(async () => {
      // @page-module/wechat parses its own flags; secrets come only from the environment.
      const server = await runTokenServerCli(argv.slice(argv.indexOf('token-server') + 1), { stdout: output.print })
      await waitForSignal()
      await server.close()
    })

  cli
    .command('keys <kind>', 'Print a new key pair; kind: sm2 (for page-module/sm protection of callMethod payloads)')
    .action((kind: string) => {
      if (kind !== 'sm2') throw new Error(`unknown key kind ${kind} — page-module keys sm2`)
      for (const line of sm2KeyLines()) output.print(line)
    })

  cli.help()
  cli.version(VERSION)
  try {
    cli.parse(['node', 'page-module', ...argv], { run: false })
    if (!cli.matchedCommand) {
      if (!cli.options.help && !cli.options.version) {
        output.printError(
          argv.length === 0
            ? 'name a command: page-module dev | page-module create custom-api <dir> | page-module token-server'
            : `unknown command ${argv[0]}`,
        )
        cli.outputHelp()
        exitCode = 1
      }
      return exitCode
    }
    await cli.runMatchedCommand()
  } catch (error) {
    output.printError(`page-module: ${(error as Error).message}`)
    exitCode = 1
  }
  return exitCode
}
