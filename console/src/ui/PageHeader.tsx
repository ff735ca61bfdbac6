import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A screen's title (the page's one h1), what stands beside it (`aside`: a status badge) and its main actions. */
export function PageHeader({ title, aside, children }: { title: string; aside?: ReactNode; children?: ReactNode }) {
  const heading = (
    <Title order={1} size="h2">
      {title}
    </Title>
  );
  return (
    <Group justify="space-between" align="center" mb="md" wrap="wrap" gap="sm">
      {aside ? (
        <Group gap="sm" align="center" wrap="wrap">
          {heading}
          {aside}
        </Group>
      ) : (
        heading
      )}
      {children ? <Group gap="sm">{children}</Group> : null}
    </Group>
  );
}
