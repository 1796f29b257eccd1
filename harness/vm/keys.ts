// Keys and the VGA text screen, as pure functions for the QMP client:
// characters to the QEMU key codes ("qcodes", qapi/ui.json QKeyCode) a
// person on a US keyboard presses for them, and the text-mode buffer at
// 0xB8000 back to lines of text.

const SHIFTED: Record<string, string> = {
  '!': '1', '@': '2', '#': '3', $: '4', '%': '5', '^': '6', '&': '7', '*': '8', '(': '9', ')': '0',
  _: 'minus', '+': 'equal', '{': 'bracket_left', '}': 'bracket_right', '|': 'backslash',
  ':': 'semicolon', '"': 'apostrophe', '~': 'grave_accent', '<': 'comma', '>': 'dot', '?': 'slash',
};

const PLAIN: Record<string, string> = {
  '-': 'minus', '=': 'equal', '[': 'bracket_left', ']': 'bracket_right', '\\': 'backslash',
  ';': 'semicolon', "'": 'apostrophe', '`': 'grave_accent', ',': 'comma', '.': 'dot', '/': 'slash',
  ' ': 'spc', '\r': 'ret', '\n': 'ret', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', '\x1b': 'esc',
};

/**
 * The keys pressed together for one character (modifiers first), or
 * undefined when a US keyboard has no key for it. Control characters
 * (\x01..\x1a) are Ctrl with a letter; capitals and symbols take Shift.
 */
export function keysFor(ch: string): string[] | undefined {
  if (/^[a-z0-9]$/.test(ch)) return [ch];
  if (/^[A-Z]$/.test(ch)) return ['shift', ch.toLowerCase()];
  if (ch in PLAIN) return [PLAIN[ch]!];
  if (ch in SHIFTED) return ['shift', SHIFTED[ch]!];
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code >= 1 && code <= 26) return ['ctrl', String.fromCharCode(code + 96)];
  return undefined;
}

export const VGA_TEXT_ADDRESS = 0xb8000;
export const VGA_COLUMNS = 80;
export const VGA_ROWS = 25;
/** Bytes of the 80x25 text screen: a character byte and an attribute byte per cell. */
export const VGA_TEXT_BYTES = VGA_COLUMNS * VGA_ROWS * 2;

// Code page 437's upper half, for the characters a console shows most
// (box drawing and the like read back as themselves).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** The VGA text buffer as 25 lines (character bytes only, code page 437, trailing blanks removed). */
export function decodeVgaText(buffer: Uint8Array, columns = VGA_COLUMNS, rows = VGA_ROWS): string[] {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < columns; c++) {
      const byte = buffer[(r * columns + c) * 2] ?? 0;
      line += byte === 0 ? ' ' : byte < 0x20 || byte === 0x7f ? '?' : byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
