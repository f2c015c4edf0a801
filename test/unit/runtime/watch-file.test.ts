import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  watchFile,
  watchFiles,
  type FileWatcher,
  type WatchFileOptions,
} from '../../../src/runtime/watch-file.js'

const SEEN_WITHIN_MS = 2000
/** How long to wait before concluding that nothing was delivered (several polls and debounces). */
const QUIET_MS = 600

let root: string
let watchers: FileWatcher[]

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'watch-file-'))
  watchers = []
})

afterEach(() => {
  for (const w of watchers) w.close()
  rmSync(root, { recursive: true, force: true })
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function waitForCount(
  list: readonly unknown[],
  count: number,
  within = SEEN_WITHIN_MS,
): Promise<void> {
  const deadline = performance.now() + within
  while (list.length < count) {
    if (performance.now() > deadline)
      throw new Error(`expected ${count} deliveries, got ${list.length}`)
    await sleep(20)
  }
}

/** Starts a watcher recording each delivery as text, and waits until its baseline is read. */
async function record(
  path: string,
  options: WatchFileOptions,
): Promise<{ seen: string[]; errors: unknown[]; watcher: FileWatcher }> {
  const seen: string[] = []
  const errors: unknown[] = []
  const watcher = watchFile(path, (c) => void seen.push(c.toString('utf8')), {
    onError: (e) => void errors.push(e),
    ...options,
  })
  watchers.push(watcher)
  await watcher.baselineRead
  return { seen, errors, watcher }
}

/** The layout kubelet's atomic writer makes for a ConfigMap/Secret volume. */
function writeAtomicDir(
  dir: string,
  stamp: string,
  files: Record<string, string>,
  first: boolean,
): void {
  const target = `..${stamp}`
  mkdirSync(join(dir, target), { recursive: true })
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, target, name), content)
  if (first) {
    symlinkSync(target, join(dir, '..data'))
    for (const name of Object.keys(files)) symlinkSync(join('..data', name), join(dir, name))
  } else {
    symlinkSync(target, join(dir, '..data_tmp'))
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'))
  }
}

function swapConfigMap(
  dir: string,
  oldStamp: string,
  newStamp: string,
  files: Record<string, string>,
): void {
  writeAtomicDir(dir, newStamp, files, false)
  rmSync(join(dir, `..${oldStamp}`), { recursive: true })
}

const STAMP_1 = '2026_11_22_00_00_00.1'
const STAMP_2 = '2026_11_22_00_01_00.2'

// Each mechanism alone must notice the change: notifications with polling off, and polling alone.
const MECHANISMS = [
  { name: 'fs.watch only', options: { pollIntervalMs: 0, debounceMs: 50 } },
  { name: 'poll only', options: { pollIntervalMs: 200, useFsWatch: false } },
] as const

describe('watchFile', () => {
  it.each(MECHANISMS)('notices a ConfigMap ..data symlink swap ($name)', async ({ options }) => {
    writeAtomicDir(root, STAMP_1, { 'config.yaml': 'version: 1\n' }, true)
    const { seen, errors } = await record(join(root, 'config.yaml'), options)
    swapConfigMap(root, STAMP_1, STAMP_2, { 'config.yaml': 'version: 2\n' })
    await waitForCount(seen, 1)
    expect(seen).toEqual(['version: 2\n'])
    expect(errors).toEqual([])
  })

  it.each(MECHANISMS)('notices two successive ConfigMap swaps ($name)', async ({ options }) => {
    writeAtomicDir(root, STAMP_1, { 'config.yaml': 'version: 1\n' }, true)
    const { seen } = await record(join(root, 'config.yaml'), options)
    swapConfigMap(root, STAMP_1, STAMP_2, { 'config.yaml': 'version: 2\n' })
    await waitForCount(seen, 1)
    swapConfigMap(root, STAMP_2, '2026_11_22_00_02_00.3', { 'config.yaml': 'version: 3\n' })
    await waitForCount(seen, 2)
    expect(seen).toEqual(['version: 2\n', 'version: 3\n'])
  })

  it.each(MECHANISMS)('notices an editor rename-and-replace ($name)', async ({ options }) => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'a: 1\n')
    const { seen } = await record(path, options)
    writeFileSync(join(root, '.config.yaml.swp'), 'a: 2\n')
    renameSync(join(root, '.config.yaml.swp'), path)
    await waitForCount(seen, 1)
    expect(seen).toEqual(['a: 2\n'])
  })

  it.each(MECHANISMS)('notices an in-place write ($name)', async ({ options }) => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'a: 1\n')
    const { seen } = await record(path, options)
    writeFileSync(path, 'a: 3\n')
    await waitForCount(seen, 1)
    expect(seen).toEqual(['a: 3\n'])
  })

  it('does not call back when the file is touched or rewritten with the same bytes', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'same\n')
    const { seen, errors } = await record(path, { pollIntervalMs: 100, debounceMs: 20 })
    utimesSync(path, new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 0, 1)))
    writeFileSync(path, 'same\n')
    await sleep(QUIET_MS)
    expect(seen).toEqual([])
    expect(errors).toEqual([])
  })

  it.each([
    { name: 'restored with new bytes is delivered', restored: 'v2\n', want: ['v2\n'] },
    { name: 'restored with the same bytes is not delivered', restored: 'v1\n', want: [] },
  ])('file deleted then $name', async ({ restored, want }) => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'v1\n')
    const { seen, errors } = await record(path, { pollIntervalMs: 100, debounceMs: 20 })
    rmSync(path)
    await waitForCount(errors, 1)
    await sleep(300) // several failing polls: reported once per streak
    writeFileSync(path, restored)
    await sleep(QUIET_MS)
    expect(seen).toEqual(want)
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOENT'])
  })

  it('collapses a burst of writes into one delivery of the final bytes', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'start\n')
    const { seen } = await record(path, { pollIntervalMs: 0, debounceMs: 150 })
    for (let i = 1; i <= 20; i++) writeFileSync(path, `write ${i}\n`)
    await waitForCount(seen, 1)
    await sleep(QUIET_MS)
    expect(seen).toEqual(['write 20\n'])
  })

  it('delivers at start when the content differs from the initial one given', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'on disk\n')
    const { seen } = await record(path, { pollIntervalMs: 0, initial: [Buffer.from('applied\n')] })
    expect(seen).toEqual(['on disk\n'])
  })

  it('does not deliver at start when the content equals the initial one given', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'applied\n')
    const { seen } = await record(path, { pollIntervalMs: 0, initial: [Buffer.from('applied\n')] })
    expect(seen).toEqual([])
  })

  it('reports a throwing callback and keeps watching', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'v1\n')
    const seen: string[] = []
    const errors: unknown[] = []
    const watcher = watchFile(
      path,
      (c) => {
        seen.push(c.toString('utf8'))
        if (seen.length === 1) throw new Error('bad config')
      },
      { pollIntervalMs: 100, debounceMs: 20, onError: (e) => void errors.push(e) },
    )
    watchers.push(watcher)
    await watcher.baselineRead
    writeFileSync(path, 'v2\n')
    await waitForCount(seen, 1)
    writeFileSync(path, 'v3\n')
    await waitForCount(seen, 2)
    expect(seen).toEqual(['v2\n', 'v3\n'])
    expect(errors.map((e) => (e as Error).message)).toEqual(['bad config'])
  })

  it('awaits an async callback before delivering the next change', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'v1\n')
    const events: string[] = []
    const watcher = watchFile(
      path,
      async (c) => {
        events.push(`start ${c.toString('utf8').trim()}`)
        await sleep(200)
        events.push(`end ${c.toString('utf8').trim()}`)
      },
      { pollIntervalMs: 50, debounceMs: 10 },
    )
    watchers.push(watcher)
    await watcher.baselineRead
    writeFileSync(path, 'v2\n')
    await waitForCount(events, 1)
    writeFileSync(path, 'v3\n')
    await waitForCount(events, 4)
    expect(events).toEqual(['start v2', 'end v2', 'start v3', 'end v3'])
  })

  it('stops after close', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'v1\n')
    const { seen, watcher } = await record(path, { pollIntervalMs: 50, debounceMs: 10 })
    watcher.close()
    writeFileSync(path, 'v2\n')
    await sleep(QUIET_MS)
    expect(seen).toEqual([])
  })

  it('check() re-reads on demand', async () => {
    const path = join(root, 'config.yaml')
    writeFileSync(path, 'v1\n')
    const { seen, watcher } = await record(path, { pollIntervalMs: 0, useFsWatch: false })
    writeFileSync(path, 'v2\n')
    expect(seen).toEqual([])
    await watcher.reread()
    expect(seen).toEqual(['v2\n'])
  })

  it.each([
    {
      options: { pollIntervalMs: -1 },
      message: '"pollIntervalMs" option must be a non-negative integer, got -1',
    },
    {
      options: { debounceMs: 0.5 },
      message: '"debounceMs" option must be a non-negative integer, got 0.5',
    },
    { options: { initial: [] }, message: '"initial" option must hold one Buffer per path' },
  ])('rejects bad options $options', ({ options, message }) => {
    expect(() => watchFile(join(root, 'x'), () => {}, options)).toThrow(new TypeError(message))
  })
})

describe('watchFiles', () => {
  const files = (cert: string, key: string): Record<string, string> => ({
    'tls.crt': cert,
    'tls.key': key,
  })

  async function recordPair(options: WatchFileOptions): Promise<string[][]> {
    const seen: string[][] = []
    const watcher = watchFiles(
      [join(root, 'tls.crt'), join(root, 'tls.key')],
      (contents) => void seen.push(contents.map((c) => c.toString('utf8'))),
      options,
    )
    watchers.push(watcher)
    await watcher.baselineRead
    return seen
  }

  it.each(MECHANISMS)(
    'delivers cert and key together after a Secret swap ($name)',
    async ({ options }) => {
      writeAtomicDir(root, STAMP_1, files('cert1', 'key1'), true)
      const seen = await recordPair(options)
      swapConfigMap(root, STAMP_1, STAMP_2, files('cert2', 'key2'))
      await waitForCount(seen, 1)
      await sleep(300)
      expect(seen).toEqual([['cert2', 'key2']])
    },
  )

  it('delivers both when only one changed', async () => {
    writeFileSync(join(root, 'tls.crt'), 'cert1')
    writeFileSync(join(root, 'tls.key'), 'key1')
    const seen = await recordPair({ pollIntervalMs: 100, debounceMs: 20 })
    writeFileSync(join(root, 'tls.key'), 'key2')
    await waitForCount(seen, 1)
    expect(seen).toEqual([['cert1', 'key2']])
  })

  it('delivers nothing while one file is missing, then the pair once both are readable', async () => {
    writeFileSync(join(root, 'tls.crt'), 'cert1')
    writeFileSync(join(root, 'tls.key'), 'key1')
    const seen = await recordPair({ pollIntervalMs: 100, debounceMs: 20 })
    rmSync(join(root, 'tls.key'))
    writeFileSync(join(root, 'tls.crt'), 'cert2')
    await sleep(QUIET_MS)
    expect(seen).toEqual([])
    writeFileSync(join(root, 'tls.key'), 'key2')
    await waitForCount(seen, 1)
    expect(seen).toEqual([['cert2', 'key2']])
  })

  it('rejects an empty list of paths', () => {
    expect(() => watchFiles([], () => {})).toThrow(
      new TypeError('"paths" must name at least one file'),
    )
  })
})
