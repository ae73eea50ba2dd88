/**
 * Characters that change how a terminal or a chat client shows the text around them rather than being
 * text: C0 controls (except tab and line breaks), DEL, C1 controls (e.g. the 8-bit CSI), and the Unicode
 * bidi overrides and isolates that make "txt.exe" read "exe.txt". Card files, command text and display
 * names are untrusted: an escape sequence in a card name must not rewrite a `cards check` terminal or
 * an answer in Slack.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes control characters (see above); tab, newline and carriage return stay. */
export function stripControls(text: string): string {
  return text.replace(CONTROL, '');
}

/** Shows control characters as visible `\u001b` escapes instead of acting on them (terminal output). */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
