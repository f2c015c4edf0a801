/**
 * The proxy phase's baseline: a plain node:https reverse proxy doing the same
 * forwarding as `kube-oidc-webhook proxy` (hop-by-hop fields and the client's
 * Authorization dropped, a fixed upstream Authorization and Impersonate-User
 * set, X-Forwarded-For appended, both bodies piped over a keep-alive agent)
 * but no authentication at all. What the proxy adds beyond it is the cost of
 * authenticating (a result-cache hit here) and of its header checks.
 * Started with the path of a ProxyBenchConfig JSON file.
 */
import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream'
import type { ProxyBenchConfig } from '../configs.js'

const configPath = process.argv[2]
if (configPath === undefined) {
  process.stderr.write('usage: reverse-proxy.js CONFIG.json\n')
  process.exit(2)
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as ProxyBenchConfig
const agent = new https.Agent({ ca: config.caPem, keepAlive: true, maxFreeSockets: 256 })
const HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'authorization',
  'host',
])

function forward(raw: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    if (HOP.has(name)) continue
    const prior = out[name]
    out[name] = prior === undefined ? (raw[i + 1] as string) : [prior, raw[i + 1] as string].flat()
  }
  return out
}

const server = https.createServer(
  {
    cert: config.certPem,
    key: config.keyPem,
    ALPNProtocols: ['http/1.1'],
    keepAliveTimeout: 120_000,
  },
  (req, res) => {
    const headers = forward(req.rawHeaders)
    headers['authorization'] = `Bearer ${config.upstreamToken}`
    headers['impersonate-user'] = 'oidc:bench'
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? ''
    if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked'
    const upReq = https.request({
      host: '127.0.0.1',
      port: config.upstreamPort,
      method: req.method,
      path: req.url,
      agent,
      headers,
    })
    upReq.on('response', (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, forward(upRes.rawHeaders))
      pipeline(upRes, res, () => undefined)
    })
    upReq.on('error', () => {
      if (!res.headersSent) res.writeHead(503).end()
      else res.destroy()
    })
    pipeline(req, upReq, () => undefined)
  },
)
server.keepAliveTimeout = 120_000
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
})
