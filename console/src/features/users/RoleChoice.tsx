import { Radio, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Role } from './queries';

/** The role, worded as the admin thinks of it: only the services assigned, or staff functions (admin). */
export function RoleChoice({ value, onChange, error }: { value?: Role; onChange?: (v: Role) => void; error?: string }) {
  const { t } = useTranslation('users');
  return (
    <Radio.Group label={t('add.permissions')} value={value} onChange={(v) => onChange?.(v as Role)} error={error}>
      <Stack gap="xs" mt="xs">
        <Radio value="user" label={t('add.roleUser')} />
        <Radio value="admin" label={t('add.roleAdmin')} />
      </Stack>
    </Radio.Group>
  );
}
