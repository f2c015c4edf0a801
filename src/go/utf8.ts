/**
 * Go's reading of bytes that should be UTF-8 (utf8.DecodeRune): every byte
 * that does not start a valid sequence becomes one U+FFFD, as encoding/json
 * does inside strings (the WHATWG decoder replaces a broken sequence once).
 */
export function goDecodeUtf8(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  let start = 0
  while (i < bytes.length) {
    const width = validSequenceWidth(bytes, i)
    if (width > 0) {
      i += width
      continue
    }
    out += Buffer.from(bytes.subarray(start, i)).toString('utf8') + '\ufffd'
    i += 1
    start = i
  }
  return out + Buffer.from(bytes.subarray(start)).toString('utf8')
}

/** Length of the valid UTF-8 sequence at `i`, or 0 (overlong forms, surrogates and values above U+10FFFF are invalid). */
function validSequenceWidth(b: Uint8Array, i: number): number {
  const c = b[i] as number
  if (c < 0x80) return 1
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const x = b[i + k]
    return x !== undefined && x >= lo && x <= hi
  }
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}
