// A user's text (a class name, a column, a tensor's name, a file name) made safe for the place it goes: the terminal, SVG/HTML/XML, DOT, a file name.
// NOTE: it lives in engine/ because toDot prints tensor names; train/ and scripts/ use the same function.
import { checkOptions } from './checks.js';
import { describeValue } from './format.js';

/** Where a text goes; each has its own dangerous characters. */
export type TextDestination = 'terminal' | 'xml' | 'dot' | 'file';

/** Options of safeText. */
export interface SafeTextOptions {
  /** Cut the (escaped) text to this many characters, the last one an ellipsis '…' (default: no limit). */
  maxLength?: number;
}

// What no destination may show raw: C0 controls (tab and newline included: a name with a line break
// would break a table's row), DEL and C1 controls (ESC sequences, the 8-bit CSI), lone surrogates,
// the bidirectional overrides and isolates that reorder what a reader sees, the line and paragraph
// separators, and the noncharacters U+FFFE / U+FFFF (forbidden in XML, like the C0 controls).
const UNSAFE =
  /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Characters a file name cannot hold on one system or another (Windows forbids the most).
const FILE_UNSAFE = /[/\\:*?"<>|]/g;
// Names Windows reserves for devices, with any extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
// The common limit of one path component in bytes (ext4, APFS, NTFS in UTF-16 units).
const MAX_FILE_BYTES = 255;

/** A character as its escape: \x1b for a code below 256, else \u202e. */
function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` cut to at most `maxLength` characters (code points), the last one an ellipsis, so that a long
 * class name fits a legend or a table column. The full text belongs in a tooltip or the JSON.
 * @example shorten('bearing failure (outer race)', 12) // 'bearing fai…'
 */
export function shorten(text: string, maxLength: number): string {
  return cut('shorten', text, maxLength);
}

function cut(fn: string, text: string, maxLength: number): string {
  if (typeof text !== 'string') throw new Error(`${fn}: text must be a string, got ${describeValue(text)}`);
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) throw new Error(`${fn}: maxLength must be a positive integer, got ${describeValue(maxLength)}`);
  const chars = Array.from(text);
  return chars.length <= maxLength ? text : `${chars.slice(0, maxLength - 1).join('')}…`;
}

/**
 * A user's text made safe for one destination; it never throws on any string.
 * - `'terminal'`: every control character (ESC, BEL, tab, newline, C1, the bidirectional overrides, a
 *   lone surrogate) written visibly as its escape (`\x1b`, `\u202e`), so a class named
 *   `"\x1b]0;owned\x07"` prints as that text instead of retitling the user's terminal.
 * - `'xml'` (SVG, HTML, XML text and attribute values): the same escapes, so no character XML 1.0
 *   forbids remains, then `& < > " '` as entities.
 * - `'dot'` (inside a Graphviz double-quoted string): the same escapes, then `\` and `"` escaped.
 * - `'file'` (one path component): the same escapes, then the characters some system forbids in a file
 *   name (`/ \ : * ? " < > |`) as `_`, no leading dot or trailing dot or space, a Windows device name
 *   (`NUL`, `COM1`) prefixed with `_`, and at most 255 UTF-8 bytes.
 * `maxLength` cuts the escaped text with an ellipsis before the destination's own escaping.
 * @example safeText('a\u0001b', 'xml') // 'a\\x01b'
 */
export function safeText(text: string, destination: TextDestination, options?: SafeTextOptions | null): string {
  const fn = 'safeText';
  const { maxLength } = checkOptions<SafeTextOptions>(fn, options, ['maxLength']);
  if (typeof text !== 'string') throw new Error(`${fn}: text must be a string, got ${describeValue(text)}`);
  if (!DESTINATIONS.includes(destination)) {
    throw new Error(`${fn}: destination must be 'terminal', 'xml', 'dot' or 'file', got ${describeValue(destination)}`);
  }
  let visible = text.replace(UNSAFE, escapeChar);
  if (maxLength !== undefined) visible = cut(fn, visible, maxLength);
  switch (destination) {
    case 'terminal':
      return visible;
    case 'xml':
      return visible.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    case 'dot':
      return visible.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    case 'file':
      return fileName(visible);
  }
}

const DESTINATIONS: readonly unknown[] = ['terminal', 'xml', 'dot', 'file'];

function fileName(visible: string): string {
  let name = visible.replace(FILE_UNSAFE, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length)).replace(/[. ]+$/, (tail) => '_'.repeat(tail.length));
  if (name === '') name = '_';
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_FILE_BYTES) return name;
  // Cut by code points until the name and its ellipsis fit in the byte limit.
  const chars = Array.from(name);
  let bytes = encoder.encode('…').length;
  let keep = 0;
  while (keep < chars.length && bytes + encoder.encode(chars[keep]).length <= MAX_FILE_BYTES) bytes += encoder.encode(chars[keep++]).length;
  return `${chars.slice(0, keep).join('')}…`;
}
