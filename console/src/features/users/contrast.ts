import type { CSSProperties } from 'react';

/**
 * Mantine's light scheme draws descriptions and dimmed text in gray.6 and errors in red.6, both
 * below WCAG AA contrast on white. Inside these screens (and their dialogs, which render in a
 * portal, so they carry it too) the two colours are darker shades of the same hues.
 */
export const readable = {
  '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
  '--mantine-color-error': 'var(--mantine-color-red-9)',
} as CSSProperties;
