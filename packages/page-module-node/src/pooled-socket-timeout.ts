import http from 'node:http'
import https from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

/**
 * Keep-alive agents whose `timeout` closes sockets idle in the pool (Node sets it, shortened by the server's
 * `Keep-Alive: timeout` hint, when a socket is freed) but is off while a socket carries a request: a socket
 * timeout is re-armed on every read and write, and a request's own deadline is the call's timeout.
 */
export class PooledSocketTimeoutHttpAgent extends http.Agent {
  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    ;(socket as Socket).setTimeout(0)
    super.reuseSocket(socket, request)
  }
}

export class PooledSocketTimeoutHttpsAgent extends https.Agent {
  override reuseSocket(socket: Duplex, request: http.ClientRequest): void {
    ;(socket as Socket).setTimeout(0)
    super.reuseSocket(socket, request)
  }
}
