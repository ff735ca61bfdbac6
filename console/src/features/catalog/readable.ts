import type { CSSProperties } from 'react';

/**
 * Mantine's light scheme draws descriptions and dimmed text in gray.6 and errors in red.6, both
 * below WCAG AA contrast on white: the catalog and audit screens (and their drawers and modals,
 * which render in a portal, so they carry it too) use darker shades of the same hues.
 */
export const readable = {
  '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
  '--mantine-color-error': 'var(--mantine-color-red-9)',
} as CSSProperties;
