/** A response body as it may appear inside an error message: at most 256 bytes, control characters replaced. */
export function shortBody(body: Buffer, limit = 256): string {
  const text = body.subarray(0, limit).toString('utf8')
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?')
  return body.length > limit ? `${clean}...` : clean
}
