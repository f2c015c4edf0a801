/** The buffered stderr writer: chunking, order, partial writes, bounds, errors, exit. */
import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from '@jest/globals'
import { BufferedWriter, type BufferedWriterOptions } from '../../../src/log/buffered-writer.js'

type WriteCallback = (err: NodeJS.ErrnoException | null, written: number) => void

/** A descriptor whose asynchronous writes complete only when the test says so. */
class FakeFd {
  readonly written: string[] = []
  readonly pending: { data: Buffer; callback: WriteCallback }[] = []
  readonly syncWrites: string[] = []
  writeAsync = (_fd: number, data: Buffer, callback: WriteCallback): void => {
    this.pending.push({ data: Buffer.from(data), callback })
  }
  writeSync = (_fd: number, data: Buffer): number => {
    this.syncWrites.push(data.toString('utf8'))
    return data.length
  }
  /** Completes the oldest write, taking `bytes` of it (default all). */
  complete(bytes?: number): void {
    const next = this.pending.shift()
    if (next === undefined) throw new Error('no write in flight')
    const n = bytes ?? next.data.length
    this.written.push(next.data.subarray(0, n).toString('utf8'))
    next.callback(null, n)
  }
  fail(code: string): void {
    const next = this.pending.shift()
    if (next === undefined) throw new Error('no write in flight')
    next.callback(Object.assign(new Error(code), { code }), 0)
  }
}

const writers: BufferedWriter[] = []
function writerFor(fd: FakeFd, options: BufferedWriterOptions = {}): BufferedWriter {
  const writer = new BufferedWriter({
    flushBytes: 20,
    flushIntervalMs: 3_600_000,
    writeAsync: fd.writeAsync,
    writeSync: fd.writeSync,
    ...options,
  })
  writers.push(writer)
  return writer
}
afterEach(() => {
  for (const w of writers.splice(0)) w.close()
})

describe('BufferedWriter', () => {
  it('holds lines until flushBytes have gathered, then writes them as one chunk', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    writer.write('line-1\n')
    writer.write('line-2\n')
    expect(fd.pending).toEqual([])
    writer.write('line-3\n')
    expect(fd.pending.map((p) => p.data.toString())).toEqual(['line-1\nline-2\nline-3\n'])
  })

  it('gathers lines while a chunk is in flight and writes them next, in order', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    for (let i = 0; i < 3; i++) writer.write(`a-${i}-----\n`)
    for (let i = 0; i < 3; i++) writer.write(`b-${i}-----\n`)
    expect(fd.pending).toHaveLength(1)
    fd.complete()
    expect(fd.pending).toHaveLength(1)
    fd.complete()
    expect(fd.written.join('')).toBe('a-0-----\na-1-----\na-2-----\nb-0-----\nb-1-----\nb-2-----\n')
  })

  it('continues a partial write from where the kernel stopped', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    writer.write('0123456789abcdefghijklmn\n')
    fd.complete(10)
    expect(fd.pending.map((p) => p.data.toString())).toEqual(['abcdefghijklmn\n'])
    fd.complete()
    expect(fd.written.join('')).toBe('0123456789abcdefghijklmn\n')
  })

  it('writes what has gathered after flushIntervalMs', async () => {
    const fd = new FakeFd()
    let wrote: () => void = () => undefined
    const written = new Promise<void>((resolve) => (wrote = resolve))
    writerFor(fd, {
      flushIntervalMs: 5,
      writeAsync: (f, data, cb) => {
        fd.writeAsync(f, data, cb)
        wrote()
      },
    }).write('short\n')
    await written
    expect(fd.pending.map((p) => p.data.toString())).toEqual(['short\n'])
  })

  it('flush(done) calls back once everything written so far is out', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    const calls: string[] = []
    writer.flush(() => calls.push('empty'))
    expect(calls).toEqual(['empty'])
    writer.write('one\n')
    writer.flush(() => calls.push('one'))
    writer.write('two\n')
    expect(calls).toEqual(['empty'])
    fd.complete()
    expect(calls).toEqual(['empty'])
    fd.complete()
    expect(calls).toEqual(['empty', 'one'])
    expect(fd.written).toEqual(['one\n', 'two\n'])
  })

  it('retries a write refused with EAGAIN', async () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    writer.write('0123456789abcdefghijklmn\n')
    fd.fail('EAGAIN')
    while (fd.pending.length === 0) await new Promise((r) => setTimeout(r, 5))
    fd.complete()
    expect(fd.written).toEqual(['0123456789abcdefghijklmn\n'])
  })

  it('drops lines beyond maxBufferedBytes and reports how many once writing resumes', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd, {
      maxBufferedBytes: 30,
      droppedLine: (n) => `dropped ${n}\n`,
    })
    writer.write('0123456789abcdefghijklmn\n') // 25: in flight
    writer.write('12345\n') // 31 > 30: dropped
    writer.write('1234\n') // 30: kept
    writer.write('x\n') // dropped
    expect(writer.dropped).toBe(2)
    fd.complete()
    writer.flush()
    fd.complete()
    expect(fd.written).toEqual(['0123456789abcdefghijklmn\n', '1234\ndropped 2\n'])
    expect(writer.dropped).toBe(0)
  })

  it('stops writing after a broken descriptor (EPIPE) and still answers flush', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    writer.write('0123456789abcdefghijklmn\n')
    fd.fail('EPIPE')
    writer.write('0123456789abcdefghijklmn\n')
    const calls: string[] = []
    writer.flush(() => calls.push('done'))
    expect(fd.pending).toEqual([])
    expect(calls).toEqual(['done'])
  })

  it('flushSync writes the rest of a chunk in flight, then what has gathered', () => {
    const fd = new FakeFd()
    const writer = writerFor(fd)
    writer.write('0123456789abcdefghijklmn\n')
    writer.write('later\n')
    writer.flushSync()
    expect(fd.syncWrites).toEqual(['0123456789abcdefghijklmn\n', 'later\n'])
    // The asynchronous completion that arrives afterwards changes nothing.
    fd.complete()
    expect(fd.syncWrites).toHaveLength(2)
    expect(fd.pending).toEqual([])
  })

  it('writes every line gathered when the process exits', () => {
    const script = [
      "const { BufferedWriter } = await import('./dist/log/buffered-writer.js')",
      'const w = new BufferedWriter({ flushIntervalMs: 60000 })',
      // Fewer bytes than one chunk: nothing is written before the exit.
      'for (let i = 0; i < 500; i++) w.write(`{"n":${i}}\\n`)',
      'process.exit(0)',
    ].join('\n')
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    expect(child.status).toBe(0)
    const lines = child.stderr.split('\n').filter((l) => l !== '')
    expect(lines).toEqual(Array.from({ length: 500 }, (_, i) => `{"n":${i}}`))
  })
})
