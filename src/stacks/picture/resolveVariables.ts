// CSS with VS Code's theme variables replaced by their values: exported pictures carry no `var()`,
// since outside VS Code nothing defines them.

/** Replaces `var(--name, fallback)` with the value the page gives `--name` (innermost first). */
export function resolveVariables(css: string, themeValue: (name: string) => string): string {
  const innermost = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g;
  let text = css;
  for (let pass = 0; pass < 8 && text.includes('var('); pass++) {
    text = text.replace(innermost, (_whole, name: string, fallback?: string) => {
      const value = themeValue(name).trim();
      return value || (fallback ?? '').trim() || 'currentColor';
    });
  }
  return text;
}
