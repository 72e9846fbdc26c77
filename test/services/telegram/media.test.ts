import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sanitiseFileName, saveMedia } from '../../../src/services/telegram/media.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'media-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date(Date.UTC(2026, 4, 1, 10, 20, 30));

describe('sanitiseFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\config', 'config'],
    ['.bashrc', 'bashrc'],
    ['..', 'file'],
    ['', 'file'],
    ['report 2026 (final).pdf', 'report_2026_final_.pdf'],
    ['naïve résumé.txt', 'naive_resume.txt'],
    ['a\u0000b\nc.txt', 'a_b_c.txt'],
    ['file..exe', 'file.exe'],
    ['-rf', 'rf'],
    // A name of no Latin letters keeps its extension.
    ['отчёт.pdf', 'file.pdf'],
    ['报告.docx', 'file.docx'],
    ['отчёт', 'file'],
  ])('%j becomes %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('bounds the length and keeps the extension', () => {
    const name = sanitiseFileName(`${'a'.repeat(500)}.tar.gz`);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.endsWith('.gz')).toBe(true);
  });
});

describe('saveMedia', () => {
  it('saves under a timestamped name inside its directory, never overwriting', async () => {
    const a = await saveMedia(dir, 'files', '../../etc/passwd', Buffer.from('first'), { maxBytes: 1000, now: NOW });
    const b = await saveMedia(dir, 'files', '../../etc/passwd', Buffer.from('second'), { maxBytes: 1000, now: NOW });
    expect(a.path).toBe('files/20260501-102030-passwd');
    expect(b.path).toBe('files/20260501-102030-passwd-2');
    expect(readFileSync(join(dir, 'telegram', a.path), 'utf8')).toBe('first');
    expect(readFileSync(join(dir, 'telegram', b.path), 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'telegram', 'files')).sort()).toEqual(['20260501-102030-passwd', '20260501-102030-passwd-2']);
  });

  it('refuses a stream over the limit and leaves nothing behind', async () => {
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield new Uint8Array(400);
    }
    await expect(saveMedia(dir, 'images', 'big.jpg', chunks(), { maxBytes: 1000, now: NOW })).rejects.toThrow(/larger than the limit/);
    expect(readdirSync(join(dir, 'telegram', 'images'))).toEqual([]);
  });

  it('saves 20 files of the same name at once under 20 distinct names', async () => {
    const saved = await Promise.all(Array.from({ length: 20 }, (_, i) => saveMedia(dir, 'images', 'photo.jpg', Buffer.from(`p${i}`), { maxBytes: 100, now: NOW })));
    expect(new Set(saved.map((s) => s.path)).size).toBe(20);
    const contents = saved.map((s) => readFileSync(s.absolutePath, 'utf8')).sort();
    expect(contents).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`).sort());
  });
});
