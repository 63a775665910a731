import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { median } from './statistics.mjs'

const require = createRequire(import.meta.url)

/** What a fresh `node -e "require(X)"` costs; `null` is bare node, the baseline the others are compared with. */
export const COLD_START_TARGETS = [null, 'page-module', '@cloudbase/node-sdk', 'wx-server-sdk']

/**
 * Wall time of the whole process (spawn to exit), time inside `require()` and peak RSS (`maxRSS`, read by the
 * child itself) for each target, medians of `runs` processes; targets take turns so drift hits them alike.
 */
export function measureColdStart(runs) {
  const samples = new Map(COLD_START_TARGETS.map((target) => [target, []]))
  for (let run = 0; run < runs; run++) {
    for (const target of COLD_START_TARGETS) samples.get(target).push(startOnce(target))
  }
  const summaries = COLD_START_TARGETS.map((target) => {
    const runsOf = samples.get(target)
    return {
      target: target ?? 'bare node',
      wallMs: median(runsOf.map((sample) => sample.wallMs)),
      requireMs: median(runsOf.map((sample) => sample.requireMs)),
      maxRssKiB: median(runsOf.map((sample) => sample.maxRssKiB)),
    }
  })
  const bare = summaries[0]
  return summaries.map((summary) => ({
    ...summary,
    extraWallMs: summary.wallMs - bare.wallMs,
    extraRssKiB: summary.maxRssKiB - bare.maxRssKiB,
  }))
}

function startOnce(target) {
  const load = target === null ? '' : `require(${JSON.stringify(require.resolve(target))});`
  const script =
    `const t=process.hrtime.bigint();${load}` +
    `const ms=Number(process.hrtime.bigint()-t)/1e6;` +
    `process.stdout.write(JSON.stringify({ms,rss:process.resourceUsage().maxRSS}));process.exit(0)`
  const started = performance.now()
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH ?? '' } })
  const wallMs = performance.now() - started
  if (child.status !== 0) throw new Error(`node -e "require(${target})" failed (${child.status ?? child.signal}): ${child.stderr}`)
  const { ms, rss } = JSON.parse(child.stdout)
  return { wallMs, requireMs: ms, maxRssKiB: rss }
}
