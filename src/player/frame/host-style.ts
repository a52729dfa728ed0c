// The host's look: theme (light/dark), its CSS variables and fonts, and the safe-area insets of
// mobile hosts, applied on connect and on every host-context change (which sends only what changed).
import {
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";

export function applyHostContext(ctx: McpUiHostContext | undefined): void {
  if (!ctx) return;
  if (ctx.theme === "light" || ctx.theme === "dark") applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
  if (ctx.safeAreaInsets) {
    const root = document.documentElement.style;
    for (const side of ["top", "right", "bottom", "left"] as const)
      root.setProperty(`--safe-${side}`, `${Math.max(0, ctx.safeAreaInsets[side] || 0)}px`);
  }
}
