import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { readable } from './contrast';
import { useSetPassword, type User } from './queries';
import { applyUserErrors, passwordProblem } from './validation';

function SetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const { t } = useTranslation('users');
  const setPassword = useSetPassword(user);
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => passwordProblem(t, v, user.login),
      confirm: (v, values) => (v === values.password ? null : t('field.passwordsDiffer', { ns: 'errors' })),
    },
  });
  const name = `${user.firstName} ${user.lastName}`;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) =>
        setPassword.mutate(v.password, {
          onSuccess: () => {
            notifications.show({ color: 'green', message: t('password.done', { name }) });
            onDone();
          },
          onError: (err) => applyUserErrors(form, err, t),
        }),
      )}
    >
      <Stack>
        <Text size="sm">{t('password.hint')}</Text>
        <PasswordInput label={t('password.password')} required autoComplete="new-password" maxLength={128} {...form.getInputProps('password')} />
        <PasswordInput label={t('password.confirm')} required autoComplete="new-password" maxLength={128} {...form.getInputProps('confirm')} />
        <ErrorAlert error={setPassword.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('actions.cancel', { ns: 'common' })}
          </Button>
          <Button type="submit" loading={setPassword.isPending}>
            {t('password.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** An admin sets a user's password (their sessions end; a pending invitation is replaced). */
export function SetPasswordModal({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  return (
    <Modal style={readable} opened={opened} onClose={onClose} title={t('password.title', { name: `${user.firstName} ${user.lastName}` })} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      {opened ? <SetPasswordForm user={user} onDone={onClose} /> : null}
    </Modal>
  );
}
