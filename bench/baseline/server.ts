/**
 * The baseline server process: bare node:https, keep-alive, `POST
 * /authenticate` only. Started by bench/run.ts with the path of a
 * BaselineConfig JSON file; prints `listening <port>` when ready.
 */
import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { BaselineConfig } from '../configs.js'
import { createBaselineReviewer } from './reviewer.js'

const BODY_LIMIT = 4 * 1024 * 1024

const configPath = process.argv[2]
if (configPath === undefined) {
  process.stderr.write('usage: server.js CONFIG.json\n')
  process.exit(2)
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as BaselineConfig
const review = createBaselineReviewer(config)

function send(res: import('node:http').ServerResponse, statusCode: number, body: string): void {
  res.writeHead(statusCode, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  })
  res.end(body)
}

const server = https.createServer(
  {
    cert: config.certPem,
    key: config.keyPem,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    keepAliveTimeout: 120_000,
  },
  (req, res) => {
    const url = req.url ?? ''
    const q = url.indexOf('?')
    if ((q === -1 ? url : url.slice(0, q)) !== '/authenticate')
      return send(res, 404, '{"error":"not found"}')
    if (req.method !== 'POST') return send(res, 405, '{"error":"method not allowed"}')
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= BODY_LIMIT) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > BODY_LIMIT) return send(res, 413, '{"error":"body too large"}')
      const answer = review(
        chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
        Date.now(),
      )
      send(res, answer.statusCode, answer.body)
    })
  },
)
server.keepAliveTimeout = 120_000
server.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
const stop = (): void => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
