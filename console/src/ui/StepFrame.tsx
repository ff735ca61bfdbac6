import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One step of a wizard (checkout, placing an order for a customer): a framed section under its title. */
export function StepFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" mt="md">
      <Stack>
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}
