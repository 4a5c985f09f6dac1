import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, readSheet } from '../../../src/shared/sheet';
import { ChunkDecoder } from '../../../src/shared/sheet/encoding';
import { cp1252, utf16be, utf16le, utf8 } from './helpers';

describe('decodeText', () => {
  it('strips a UTF-8 BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('name,é')]);
    expect(decodeText(bytes)).toEqual({ text: 'name,é', encoding: 'utf-8' });
  });

  it('reads UTF-16 LE and BE with a BOM', () => {
    expect(decodeText(utf16le('a,b\r\nJosé,✓', true))).toEqual({
      text: 'a,b\r\nJosé,✓',
      encoding: 'utf-16le',
    });
    expect(decodeText(utf16be('a,b\r\nJosé,✓', true))).toEqual({
      text: 'a,b\r\nJosé,✓',
      encoding: 'utf-16be',
    });
  });

  it('recognises UTF-16 without a BOM by its NUL bytes', () => {
    expect(decodeText(utf16le('name,brand_id\nAna,b_1\n'))).toEqual({
      text: 'name,brand_id\nAna,b_1\n',
      encoding: 'utf-16le',
    });
    expect(decodeText(utf16be('name,brand_id\nAna,b_1\n')).encoding).toBe('utf-16be');
  });

  it('keeps valid UTF-8 and falls back to Windows-1252 otherwise', () => {
    expect(decodeText(utf8('Zoë,€5'))).toEqual({ text: 'Zoë,€5', encoding: 'utf-8' });
    expect(decodeText(cp1252('Zoë,€5 “quoted” …'))).toEqual({
      text: 'Zoë,€5 “quoted” …',
      encoding: 'windows-1252',
    });
  });

  it('honours an explicit encoding', () => {
    expect(decodeText(utf8('Zoë'), 'windows-1252').text).toBe('ZoÃ«');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), 'utf-8').text).toBe('A');
  });

  it('reads a Windows-1252 CSV end to end', () => {
    const data = readSheet(cp1252('Name;Message\r\nRené;Café at 5 – bring “friends”\r\n'), {
      fileName: 'x.csv',
    });
    expect(data.encoding).toBe('windows-1252');
    expect(data.delimiter).toBe(';');
    expect(data.rows).toEqual([{ row: 2, cells: ['René', 'Café at 5 – bring “friends”'] }]);
  });
});

describe('ChunkDecoder', () => {
  it('joins a UTF-8 character split across chunks', () => {
    const bytes = utf8('a€b😀c');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new ChunkDecoder('utf-8');
      const text = d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut)) + d.flush();
      expect(text).toBe('a€b😀c');
    }
  });

  it('reads a byte that starts no UTF-8 character as its Windows-1252 character, and only that byte', () => {
    const d = new ChunkDecoder('utf-8');
    const text =
      d.decode(utf8('plain ascii,')) + d.decode(cp1252('René')) + d.decode(utf8(',Zoë')) + d.flush();
    expect(text).toBe('plain ascii,René,Zoë');
    expect(d.encoding).toBe('utf-8');
  });
});

describe('detectDelimiter', () => {
  it('picks comma, semicolon or tab', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
  });

  it('is not fooled by a decimal comma in a semicolon file, nor by quoted separators', () => {
    expect(detectDelimiter('name;amount\nfoo;1,5\nbar;2,5\n')).toBe(';');
    expect(detectDelimiter('name,message\n"a","x; y; z"\n"b","p; q; r"\n')).toBe(',');
  });

  it('skips title lines above the table', () => {
    expect(detectDelimiter('March import, final\n\nname;brand_id;channel\nA;b;10dlc\nB;c;10dlc\n')).toBe(';');
  });

  it('defaults to comma for a single column', () => {
    expect(detectDelimiter('name\nA\nB\n')).toBe(',');
  });
});
