// The results of one run as Markdown: the tables docs/performance.md quotes, and the verdict on each target.

const THROUGHPUT_TARGET = 0.9
const OFFICIAL_TARGET = 10
const COLD_START_TARGET = 1 / 5

export function formatReport(results) {
  const { machine } = results
  return [
    `PageModule bench — Node ${machine.node}, ${machine.platform}, ${machine.cpus} × ${machine.cpuModel}, ${results.seconds} s`,
    throughputSection(results.throughput, results.settings.throughput),
    coldStartSection(results.coldStart),
    installSection(results.installWeight),
    bundleSection(results.miniprogramBundle),
    tokenSection(results.tokens),
    emulatorSection(results.emulator),
    ...(results.database ? [databaseSection(results.database, results.settings.database)] : []),
    ...(results.smProtection ? [smProtectionSection(results.smProtection)] : []),
  ].join('\n\n')
}

function throughputSection(rows, settings) {
  const lines = [`## callMethod throughput (loopback; ${settings.rounds} interleaved rounds of ${settings.roundMs} ms per cell)`]
  for (const server of unique(rows.map((row) => row.server))) {
    const ofServer = rows.filter((row) => row.server === server)
    lines.push('', `### ${ofServer[0].serverName}`, '')
    lines.push(
      table(
        [
          'client',
          'concurrency',
          'calls/s',
          'p50 ms',
          'p99 ms',
          'client CPU µs/call',
          'vs raw replay',
          'vs raw signed per call',
          'vs independent floor',
        ],
        ofServer.map((row) => [
          row.name,
          row.concurrency,
          fixed(row.perSecond, 0),
          fixed(row.p50, 3),
          fixed(row.p99, 3),
          fixed(row.cpuMicrosecondsPerCall, 0),
          percent(row.vsRaw),
          percent(row.vsRawSigned),
          percent(row.vsFloor),
        ]),
      ),
    )
    lines.push('')
    for (const concurrency of unique(ofServer.map((row) => row.concurrency))) {
      const cell = (key) => ofServer.find((row) => row.scenario === key && row.concurrency === concurrency)
      const ours = cell('pageModule')
      const official = cell('official')
      const timesOfficial = ours.perSecond / official.perSecond
      const versusOfficial =
        `ours ${fixed(timesOfficial, 1)}× the official SDK's calls/s ` +
        `(${timesOfficial >= OFFICIAL_TARGET ? 'meets' : 'misses'} ≥ 10×; ` +
        `p50 ${fixed(official.p50 / ours.p50, 1)}× lower)`
      const versusFloor =
        `${percent(ours.vsFloor)} of the independent floor ` +
        `(${ours.vsFloor >= THROUGHPUT_TARGET ? 'meets' : 'misses'} the ≥ 90% target)`
      lines.push(
        `- ×${concurrency}: ${versusOfficial}; ${versusFloor}, ${percent(ours.vsRawSigned)} of raw signed per call, ` +
          `${percent(ours.vsRaw)} of the unsigned replay`,
      )
    }
  }
  return lines.join('\n')
}

function coldStartSection(rows) {
  const ours = rows.find((row) => row.target === 'page-module')
  const official = rows.find((row) => row.target === '@cloudbase/node-sdk')
  const share = ours.extraWallMs / official.extraWallMs
  return [
    '## Cold start: `node -e "require(X)"` (median of fresh processes)',
    '',
    table(
      ['require', 'process wall ms', 'extra over bare node', 'inside require() ms', 'peak RSS MiB', 'extra RSS MiB'],
      rows.map((row) => [
        row.target,
        fixed(row.wallMs, 1),
        fixed(row.extraWallMs, 1),
        fixed(row.requireMs, 1),
        fixed(row.maxRssKiB / 1024, 1),
        fixed(row.extraRssKiB / 1024, 1),
      ]),
    ),
    '',
    `- page-module's extra time is ${percent(share)} of @cloudbase/node-sdk's (1/${fixed(1 / share, 0)}); target ≤ 1/5: ` +
      `${share <= COLD_START_TARGET ? 'met' : 'missed'}`,
  ].join('\n')
}

function installSection(rows) {
  const ours = rows[0]
  return [
    '## Install weight: `npm install --omit=dev --ignore-scripts` into an empty folder',
    '',
    table(
      ['install', 'packages', 'files', 'bytes', 'MB', '× ours'],
      rows.map((row) =>
        row.error
          ? [row.specs.join(' '), '—', '—', `failed: ${row.error}`, '—', '—']
          : [
              row.specs.join(' '),
              row.packages,
              row.files,
              row.bytes,
              fixed(row.bytes / 1e6, 2),
              ours.error ? '—' : fixed(row.bytes / ours.bytes, 1),
            ],
      ),
    ),
  ].join('\n')
}

function smProtectionSection(row) {
  return [
    `## page-module/sm: CPU per protected call on Node (${row.dataBytes} B of data, ${row.calls} calls, transport left out)`,
    '',
    table(
      ['client seal µs', 'host open µs', 'host seal answer µs', 'client open answer µs', 'total µs'],
      [[row.clientSealMicros, row.hostOpenMicros, row.hostSealMicros, row.clientOpenMicros, row.totalMicros]],
    ),
  ].join('\n')
}

function bundleSection(bundle) {
  return [
    '## Mini-program bundle',
    '',
    table(['file', 'raw bytes', 'minified (terser)', 'min+gzip'], [[bundle.file, bundle.rawBytes, bundle.minifiedBytes, bundle.gzipBytes]]),
  ].join('\n')
}

function tokenSection({ redisInstalled, results }) {
  return [
    `## access_token: concurrent getAccessToken() across processes, ` +
      `against the WeChat API emulator${redisInstalled ? '' : ' (redis-server not installed: no Redis row)'}`,
    '',
    table(
      ['store', 'processes × calls', 'token fetches', 'distinct tokens', 'slowest process ms'],
      results.map((row) => [
        row.store === 'memory' ? 'memory (one per process, not shared)' : row.store,
        `${row.processes} × ${row.calls / row.processes}`,
        row.tokenRequests,
        row.distinctTokens,
        fixed(row.slowestProcessMs, 0),
      ]),
    ),
  ].join('\n')
}

function emulatorSection(rows) {
  return [
    `## Emulator: bursts of ${rows[0].burst} concurrent calls, isolated function processes (≤ ${rows[0].maxInstances} instances), ` +
      `median of ${rows[0].rounds} bursts`,
    '',
    table(
      ['client', 'ms per burst', 'calls/s'],
      rows.map((row) => [row.client, fixed(row.medianBurstMs, 0), fixed(row.perSecond, 0)]),
    ),
  ].join('\n')
}

function databaseSection(rows, settings) {
  const ours = rows.at(-1)
  const verdict = ours.vsHandBuilt >= THROUGHPUT_TARGET ? 'meets' : 'misses'
  return [
    `## Cloud database: where().limit(10).get() on the emulator's tcb/databasequery (concurrency ${settings.concurrency}, ` +
      `${settings.rounds} interleaved rounds of ${settings.roundMs} ms)`,
    '',
    table(
      ['client', 'calls/s', 'p50 ms', 'p99 ms', 'client CPU µs/call', 'vs hand-built'],
      rows.map((row) => [
        row.name,
        fixed(row.perSecond, 0),
        fixed(row.p50, 3),
        fixed(row.p99, 3),
        fixed(row.cpuMicrosecondsPerCall, 0),
        percent(row.vsHandBuilt),
      ]),
    ),
    '',
    `Ours ${verdict} the ≥ ${percent(THROUGHPUT_TARGET)} target against the hand-built request.`,
  ].join('\n')
}

function table(headers, rows) {
  const numeric = headers.map((_, column) => rows.every((row) => /^[\d.,×%-]+$/.test(String(row[column]))))
  return [
    `| ${headers.join(' | ')} |`,
    `| ${numeric.map((isNumber) => (isNumber ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}

function unique(values) {
  return [...new Set(values)]
}

function fixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '—'
}

function percent(value) {
  return `${fixed(value * 100, 0)}%`
}
