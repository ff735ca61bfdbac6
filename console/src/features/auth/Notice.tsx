import { Alert, type AlertProps } from '@mantine/core';

/**
 * An Alert whose title is in the text colour: Mantine's light variant draws it in the colour's
 * shade 8, which is below AA contrast on its own tinted background for yellow and green.
 */
export function Notice({ styles, ...props }: AlertProps & { role?: 'alert' | 'status' | 'note' }) {
  return <Alert {...props} styles={{ title: { color: 'var(--mantine-color-black)' }, ...(styles as object) }} />;
}
