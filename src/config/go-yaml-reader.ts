/**
 * go-yaml's reader (readerc.go yaml_parser_update_buffer): the encoding errors
 * it raises before any scanning, without a line number, as go-yaml prints them.
 */

/** go-yaml's text for the first byte sequence its reader refuses, or undefined. */
export function goYamlReaderError(bytes: Uint8Array): string | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length) {
    const octet = bytes[i] as number
    const width =
      (octet & 0x80) === 0
        ? 1
        : (octet & 0xe0) === 0xc0
          ? 2
          : (octet & 0xf0) === 0xe0
            ? 3
            : (octet & 0xf8) === 0xf0
              ? 4
              : 0
    if (width === 0) return 'yaml: invalid leading UTF-8 octet'
    if (i + width > bytes.length) return 'yaml: incomplete UTF-8 octet sequence'
    let value =
      width === 1
        ? octet & 0x7f
        : width === 2
          ? octet & 0x1f
          : width === 3
            ? octet & 0x0f
            : octet & 0x07
    for (let k = 1; k < width; k++) {
      const trailing = bytes[i + k] as number
      if ((trailing & 0xc0) !== 0x80) return 'yaml: invalid trailing UTF-8 octet'
      value = (value << 6) + (trailing & 0x3f)
    }
    if (!(
      width === 1 ||
      (width === 2 && value >= 0x80) ||
      (width === 3 && value >= 0x800) ||
      (width === 4 && value >= 0x10000)
    ))
      return 'yaml: invalid length of a UTF-8 sequence'
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff)
      return 'yaml: invalid Unicode character'
    if (!isPrintable(value)) return 'yaml: control characters are not allowed'
    i += width
  }
  return undefined
}

function isPrintable(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0x7e) ||
    c === 0x85 ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  )
}
