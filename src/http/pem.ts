/**
 * PEM blocks as Go's encoding/pem Decode finds them: a `-----BEGIN TYPE-----`
 * line, optional `Key: value` headers ended by a blank line, base64 lines, and
 * the matching `-----END TYPE-----`. A block whose body is not valid base64 is
 * skipped and the search goes on after its BEGIN line, as in Go.
 */

export interface PemBlock {
  readonly type: string
  /** True when the block carried RFC 1421 headers (`Proc-Type: ...`). */
  readonly hasHeaders: boolean
  readonly bytes: Buffer
}

const BEGIN = /^-----BEGIN (.*)-----$/
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Every block in `text`, in order. */
export function decodePemBlocks(text: string): PemBlock[] {
  const lines = text.split('\n').map((line) => line.replace(/[ \t\r]+$/, ''))
  const blocks: PemBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i] ?? '')
    if (begin === null) continue
    const type = begin[1] ?? ''
    const end = lines.indexOf(`-----END ${type}-----`, i + 1)
    if (end === -1) break
    let body = lines.slice(i + 1, end)
    const hasHeaders = body.length > 0 && (body[0] ?? '').includes(':')
    if (hasHeaders) {
      const blank = body.indexOf('')
      body = blank === -1 ? [] : body.slice(blank + 1)
    }
    const base64 = body.join('').replace(/[ \t]/g, '')
    if (!BASE64.test(base64)) continue
    blocks.push({ type, hasHeaders, bytes: Buffer.from(base64, 'base64') })
    i = end
  }
  return blocks
}
