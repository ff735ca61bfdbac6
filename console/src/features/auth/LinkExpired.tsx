import { Anchor, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { Notice } from './Notice';

/** An emailed link that no longer works (410): what happened and where to go next. */
export function LinkExpired({ title, children, to, action }: { title: string; children?: ReactNode; to: '/login' | '/forgot-password' | '/profile'; action: string }) {
  return (
    <Stack>
      <Notice color="yellow" role="alert" title={title}>
        {children ? <Text size="sm">{children}</Text> : null}
      </Notice>
      <Anchor component={Link} to={to}>
        {action}
      </Anchor>
    </Stack>
  );
}
