/**
 * The API server stand-in of the proxy phase: bare node:https, keep-alive,
 * every request answered 200 with the same small PodList (Content-Length,
 * about 1 KiB), after reading whatever body came. Started with the path of
 * a ProxyBenchConfig JSON file; prints `listening <port>` when ready.
 */
import { readFileSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import type { ProxyBenchConfig } from './configs.js'

const configPath = process.argv[2]
if (configPath === undefined) {
  process.stderr.write('usage: proxy-upstream.js CONFIG.json\n')
  process.exit(2)
}
const config = JSON.parse(readFileSync(configPath, 'utf8')) as ProxyBenchConfig

const POD_LIST = JSON.stringify({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '1' },
  items: Array.from({ length: 4 }, (_, i) => ({
    metadata: {
      name: `pod-${i}`,
      namespace: 'default',
      uid: `00000000-0000-0000-0000-00000000000${i}`,
    },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1.0' }] },
    status: { phase: 'Running', podIP: `10.0.0.${i + 1}` },
  })),
})

const server = https.createServer(
  {
    cert: config.certPem,
    key: config.keyPem,
    ALPNProtocols: ['http/1.1'],
    keepAliveTimeout: 120_000,
  },
  (req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(POD_LIST),
      })
      res.end(POD_LIST)
    })
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
