import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Median milliseconds a fresh Node process spends in `require(name)`, over `runs` processes. */
export function requireTime(name, runs) {
  const entry = require.resolve(name)
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(entry)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })))
  times.sort((left, right) => left - right)
  return times[Math.floor(times.length / 2)]
}
