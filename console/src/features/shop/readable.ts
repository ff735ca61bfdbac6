import type { CSSProperties } from 'react';

/**
 * Mantine's "dimmed" gray (input and step descriptions, input sections) is below WCAG AA contrast
 * on white; the shop and order screens darken it for everything they hold.
 */
export const readable = { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' } as CSSProperties;
