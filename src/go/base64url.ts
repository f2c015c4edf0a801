/**
 * Go's `base64.RawURLEncoding.DecodeString`: the URL alphabet, no `=` padding,
 * `\r` and `\n` ignored, a final group of one character rejected. Node's own
 * decoder is lenient (it skips junk and accepts padding), so the text is checked
 * first: kube-apiserver skips a token whose payload is padded.
 */

const NEWLINES = /[\r\n]/g
const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; message: string }

/** True when `text` holds only base64url's alphabet (no padding, no whitespace). */
export function isBase64UrlAlphabet(text: string): boolean {
  return ALPHABET_ONLY.test(text)
}

/**
 * Decodes unpadded base64url exactly as Go would accept it; the error text is Go's.
 * `alphabetChecked`: the caller has seen {@link isBase64UrlAlphabet} hold for `text`.
 */
export function decodeRawBase64Url(text: string, alphabetChecked = false): Base64Result {
  if (alphabetChecked && text.length % 4 !== 1)
    return { ok: true, bytes: Buffer.from(text, 'base64url') }
  const clean = text.includes('\r') || text.includes('\n') ? text.replace(NEWLINES, '') : text
  // The native regex check is the fast path; the loop below only finds the offset for the message.
  if (!ALPHABET_ONLY.test(clean))
    for (let i = 0; i < clean.length; i++) {
      const c = clean.charCodeAt(i)
      const ok =
        (c >= 0x41 && c <= 0x5a) || // A-Z
        (c >= 0x61 && c <= 0x7a) || // a-z
        (c >= 0x30 && c <= 0x39) || // 0-9
        c === 0x2d || // -
        c === 0x5f // _
      if (!ok)
        return { ok: false, message: `illegal base64 data at input byte ${goInputOffset(text, i)}` }
    }
  if (clean.length % 4 === 1) {
    return {
      ok: false,
      message: `illegal base64 data at input byte ${goInputOffset(text, clean.length - 1)}`,
    }
  }
  return { ok: true, bytes: Buffer.from(clean, 'base64url') }
}

// Offsets in Go's message count the original input, newlines included.
function goInputOffset(original: string, cleanIndex: number): number {
  if (!original.includes('\r') && !original.includes('\n')) return cleanIndex
  let seen = 0
  for (let i = 0; i < original.length; i++) {
    const ch = original[i]
    if (ch === '\r' || ch === '\n') continue
    if (seen === cleanIndex) return i
    seen++
  }
  return original.length
}
