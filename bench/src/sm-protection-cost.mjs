// The CPU cost of page-module/sm per call on Node, transport left out: what the client (seal the call, open the
// answer) and the module host (open the call, seal the answer) each spend, measured with process.cpuUsage().
import { generateSm2KeyPair, smHostProtection } from '@page-module/host/sm'
import { smProtection } from 'page-module/sm'

/** A call's data of about 1 KB of personal fields, JSON. */
const DATA = {
  name: '张三',
  idCard: '110101199003074514',
  phone: '13800138000',
  address: '北京市东城区'.repeat(20),
  note: 'x'.repeat(600),
}

function cpuMicros(start) {
  const { user, system } = process.cpuUsage(start)
  return user + system
}

/** Runs `calls` protected round trips after `warmup` and returns CPU µs per call for each side and in total. */
export async function measureSmProtectionCost({ calls = 200, warmup = 20 } = {}) {
  const { publicKey, privateKey } = generateSm2KeyPair()
  const client = smProtection({ publicKey })
  const host = smHostProtection({ privateKey })
  const totals = { clientSeal: 0, hostOpen: 0, hostSeal: 0, clientOpen: 0 }
  for (let index = 0; index < warmup + calls; index++) {
    const measured = index >= warmup
    const call = { module: 'tcb:Bench', method: 'save', requestId: `bench-${index}`, timestamp: Date.now(), data: DATA }
    let start = process.cpuUsage()
    const sealed = await client.seal(call)
    const clientSeal = cpuMicros(start)
    start = process.cpuUsage()
    const opened = host.open({ protocol: 'page-module/1', client: { name: 'bench', version: '0' }, ...call, data: sealed.data })
    const hostOpen = cpuMicros(start)
    start = process.cpuUsage()
    const answer = opened.seal({ code: 0, data: opened.data, requestId: call.requestId })
    const hostSeal = cpuMicros(start)
    start = process.cpuUsage()
    sealed.open(answer.data)
    const clientOpen = cpuMicros(start)
    if (measured) {
      totals.clientSeal += clientSeal
      totals.hostOpen += hostOpen
      totals.hostSeal += hostSeal
      totals.clientOpen += clientOpen
    }
  }
  const perCall = (micros) => Math.round(micros / calls)
  const row = {
    dataBytes: Buffer.byteLength(JSON.stringify(DATA)),
    calls,
    clientSealMicros: perCall(totals.clientSeal),
    clientOpenMicros: perCall(totals.clientOpen),
    hostOpenMicros: perCall(totals.hostOpen),
    hostSealMicros: perCall(totals.hostSeal),
  }
  row.totalMicros = row.clientSealMicros + row.clientOpenMicros + row.hostOpenMicros + row.hostSealMicros
  return row
}
