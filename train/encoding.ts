// The bytes of a text file as a string: UTF-8 (with or without its BOM) or UTF-16 with its BOM; anything else is an Error naming the byte and the likely encoding.

// The Windows-1252 characters of bytes 0x80–0x9F (undefined there: 0x81, 0x8D, 0x8F, 0x90, 0x9D), the
// ones a Windows spreadsheet writes for € ’ “ ” – —; 0xA0–0xFF are Latin-1's, the same code points.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹ŒŽ\u008d\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** What one byte means in Windows-1252 (for messages: "0xE9, é in Windows-1252"). */
function cp1252(byte: number): string {
  if (byte < 0x80) return String.fromCharCode(byte);
  if (byte < 0xa0) return CP1252_HIGH[byte - 0x80];
  return String.fromCharCode(byte);
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: the sequence's length and the range of its second byte (no overlongs, no surrogates, ≤ U+10FFFF).
    let length: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return -1;
}

/**
 * The text of a file's bytes for `fn` (its Errors start with it): a UTF-8 BOM is dropped, a UTF-16 BOM
 * (LE or BE) decodes as UTF-16. Bytes that are not UTF-8 are an Error naming the first bad byte's offset
 * and what it would be in Windows-1252 (what Excel on Windows saves as "CSV"); NUL bytes are an Error
 * that names UTF-16 without its BOM when every other byte is 0, else a binary file.
 */
export function decodeText(bytes: Uint8Array, fn: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new Error(`${fn}: the file starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()} (an odd length, or a lone surrogate)`);
    }
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    // ASCII text in UTF-16 has a 0 in every other byte: the odd ones for little-endian, the even ones for big-endian.
    const head = bytes.subarray(0, 200);
    const zeros = (parity: number): number => head.filter((b, i) => i % 2 === parity && b === 0).length;
    const half = Math.floor(head.length / 2);
    const guess = zeros(1) >= half * 0.8 ? 'UTF-16 LE' : zeros(0) >= half * 0.8 ? 'UTF-16 BE' : null;
    throw new Error(
      guess === null
        ? `${fn}: byte ${nul} is 0 (NUL): a binary file, not CSV text`
        : `${fn}: byte ${nul} is 0 (NUL): the file looks like ${guess} text without its byte-order mark; save it as UTF-8`,
    );
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    const byte = bytes[bad];
    const shown = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const meaning = byte >= 0x80 ? ` (${JSON.stringify(cp1252(byte))} in Windows-1252)` : '';
    throw new Error(
      `${fn}: byte ${bad} (${shown}${meaning}) is not UTF-8: the file is likely Windows-1252 or Latin-1 (ISO-8859-1), ` +
        `as Excel saves "CSV" on Windows; save it as "CSV UTF-8", or convert it (iconv -f windows-1252 -t utf-8)`,
    );
  }
  return new TextDecoder('utf-8').decode(bytes);
}
