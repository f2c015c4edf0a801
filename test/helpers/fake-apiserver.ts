/**
 * A loopback HTTPS stand-in for kube-apiserver behind the proxy. It records
 * exactly what reaches it (method, target, raw headers, body size and hash)
 * and serves what kubectl needs: /readyz, legacy discovery (/api, /apis and
 * their resource lists), a pod list and a watch on it, one pod, a
 * SelfSubjectReview answered from the impersonation headers it received (as
 * kube-apiserver's impersonation filter reads them, system:authenticated
 * added), a WebSocket exec endpoint (v5.channel.k8s.io) that echoes stdin to
 * stdout, a raw SPDY-style upgrade that echoes bytes, and a streaming upload
 * and download for the no-buffering test.
 */
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { createServerCertificate, type CertificateAuthority } from '../../src/dev/certificates.js'

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  /** node's rawHeaders: name, value, name, value… as received. */
  readonly rawHeaders: readonly string[]
  bodyBytes: number
  bodySha256: string
  upgrade: boolean
}

export interface FakeApiServer {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** The recorded requests to `path` (query ignored). */
  to(path: string): RecordedRequest[]
  /** Values of header `name` (any case) in a recorded request, in order. */
  header(req: RecordedRequest, name: string): string[]
  /** Reset every connection (the API server looks down). */
  down: boolean
  /** Events the next watch sends before ending. */
  watchEvents: number
  /** Bytes the download endpoint sends. */
  downloadBytes: number
  /** Bytes the download endpoint has handed to its socket so far. */
  readonly downloadSentBytes: number
  stop(): Promise<void>
}

const POD = (name: string, rv: string): Record<string, unknown> => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name, namespace: 'default', resourceVersion: rv, uid: `uid-${name}` },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
  status: { phase: 'Running' },
})

function headerValues(raw: readonly string[], name: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2)
    if ((raw[i] as string).toLowerCase() === name.toLowerCase()) out.push(raw[i + 1] as string)
  return out
}

/** kube-apiserver's impersonation filter, reading only what the proxy sends. */
function impersonatedUser(raw: readonly string[]): Record<string, unknown> {
  const username = headerValues(raw, 'impersonate-user')[0] ?? ''
  const uid = headerValues(raw, 'impersonate-uid')[0]
  const groups = headerValues(raw, 'impersonate-group')
  if (!groups.includes('system:authenticated')) groups.push('system:authenticated')
  const extra: Record<string, string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase()
    if (!lower.startsWith('impersonate-extra-')) continue
    const key = decodeURIComponent(lower.slice('impersonate-extra-'.length))
    ;(extra[key] ??= []).push(raw[i + 1] as string)
  }
  return {
    username,
    ...(uid === undefined ? {} : { uid }),
    groups,
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

const RESOURCE_LISTS: Record<string, unknown> = {
  '/api': {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:443' }],
  },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'authentication.k8s.io',
        versions: [{ groupVersion: 'authentication.k8s.io/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'authentication.k8s.io/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['po'],
      },
      {
        name: 'pods/exec',
        singularName: '',
        namespaced: true,
        kind: 'PodExecOptions',
        verbs: ['create', 'get'],
      },
    ],
  },
  '/apis/authentication.k8s.io/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authentication.k8s.io/v1',
    resources: [
      {
        name: 'selfsubjectreviews',
        singularName: 'selfsubjectreview',
        namespaced: false,
        kind: 'SelfSubjectReview',
        verbs: ['create'],
      },
    ],
  },
}

export async function startFakeApiServer(ca: CertificateAuthority): Promise<FakeApiServer> {
  const serving = await createServerCertificate(ca, { commonName: 'kube-apiserver' })
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) =>
      protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false,
  })
  const state = { down: false, watchEvents: 3, downloadBytes: 0, downloadSentBytes: 0 }

  function record(req: IncomingMessage, upgrade: boolean): RecordedRequest {
    const r: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: [...req.rawHeaders],
      bodyBytes: 0,
      bodySha256: '',
      upgrade,
    }
    requests.push(r)
    return r
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const r = record(req, false)
    const hash = createHash('sha256')
    req.on('data', (chunk: Buffer) => {
      r.bodyBytes += chunk.length
      hash.update(chunk)
    })
    req.on('end', () => {
      r.bodySha256 = hash.digest('hex')
      if (req.url !== '/upload') respond(req, res, r)
    })
    if (req.url === '/upload') respond(req, res, r)
  }

  function respond(req: IncomingMessage, res: ServerResponse, r: RecordedRequest): void {
    const url = new URL(req.url ?? '/', 'https://x')
    const path = url.pathname
    if (path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok')
      return
    }
    const list = RESOURCE_LISTS[path]
    if (list !== undefined) return json(res, 200, list)
    if (path === '/api/v1/namespaces/default/pods' && url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' })
      res.flushHeaders()
      let sent = 0
      const next = (): void => {
        if (sent === state.watchEvents || res.destroyed) {
          res.end()
          return
        }
        sent++
        res.write(
          `${JSON.stringify({ type: 'ADDED', object: POD(`watched-${sent}`, String(100 + sent)) })}\n`,
        )
        setTimeout(next, 20)
      }
      next()
      return
    }
    if (path === '/api/v1/namespaces/default/pods')
      return json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '100' },
        items: [POD('pod-a', '10'), POD('pod-b', '11')],
      })
    if (path === '/api/v1/namespaces/default/pods/pod-a') return json(res, 200, POD('pod-a', '10'))
    if (path === '/apis/authentication.k8s.io/v1/selfsubjectreviews' && req.method === 'POST')
      return json(res, 201, {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: impersonatedUser(r.rawHeaders) },
      })
    if (path === '/upload') {
      // Answers once the whole body has arrived, with its size and hash.
      req.on('end', () => json(res, 200, { bytes: r.bodyBytes, sha256: r.bodySha256 }))
      return
    }
    if (path === '/download') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      const chunk = Buffer.alloc(1 << 20, 0x61)
      let left = state.downloadBytes
      const pump = (): void => {
        while (left > 0) {
          const n = Math.min(left, chunk.length)
          left -= n
          state.downloadSentBytes += n
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            res.once('drain', pump)
            return
          }
        }
        res.end()
      }
      pump()
      return
    }
    json(res, 404, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: `${path} not found`,
    })
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    record(req, true)
    const path = new URL(req.url ?? '/', 'https://x').pathname
    if ((req.headers.upgrade ?? '').toLowerCase() === 'websocket' && path.endsWith('/exec')) {
      wss.handleUpgrade(req, socket, head, (ws) => echoExec(ws))
      return
    }
    if ((req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1') {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n',
      )
      if (head.length > 0) socket.write(head)
      socket.pipe(socket)
      return
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  }

  /** kubectl exec over WebSockets (v5.channel.k8s.io): stdin (0) echoed on stdout (1); stdin closed (255, 0) -> Success on error channel (3). */
  function echoExec(ws: WebSocket): void {
    ws.on('message', (data: Buffer) => {
      const channel = data[0]
      if (channel === 0 && data.length > 1)
        ws.send(Buffer.concat([Buffer.from([1]), data.subarray(1)]))
      if (channel === 255 && data[1] === 0) {
        ws.send(
          Buffer.concat([
            Buffer.from([3]),
            Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' })),
          ]),
        )
        ws.close(1000)
      }
    })
  }

  const server: Server = createServer(
    { cert: serving.certPem, key: serving.keyPem },
    (req, res) => {
      if (state.down) {
        req.socket.destroy()
        return
      }
      handle(req, res)
    },
  )
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (state.down) {
      socket.destroy()
      return
    }
    upgrade(req, socket, head)
  })
  server.on('secureConnection', (s) => {
    if (state.down) s.destroy()
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    requests,
    to: (p) => requests.filter((r) => new URL(r.url, 'https://x').pathname === p),
    header: (r, name) => headerValues(r.rawHeaders, name),
    get down() {
      return state.down
    },
    set down(v: boolean) {
      state.down = v
      if (v) for (const s of sockets) s.destroy()
    },
    get watchEvents() {
      return state.watchEvents
    },
    set watchEvents(n: number) {
      state.watchEvents = n
    },
    get downloadSentBytes() {
      return state.downloadSentBytes
    },
    get downloadBytes() {
      return state.downloadBytes
    },
    set downloadBytes(n: number) {
      state.downloadBytes = n
    },
    async stop() {
      for (const s of sockets) s.destroy()
      wss.close()
      await new Promise((r) => server.close(r))
    },
  }
}
