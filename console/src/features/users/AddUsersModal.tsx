import { Alert, Button, Checkbox, CloseButton, Fieldset, Group, Modal, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../ui/errors';
import { MAX_NEW_USERS, useAddUsers, type Role } from './queries';
import { readable } from './contrast';
import { RoleChoice } from './RoleChoice';
import { applyUserErrors, passwordProblem, validEmail, validName } from './validation';

interface Row {
  key: string;
  firstName: string;
  lastName: string;
  login: string;
  role: Role;
  password: string;
}
const emptyRow = (): Row => ({ key: randomId(), firstName: '', lastName: '', login: '', role: 'user', password: '' });

/**
 * "Add new users": one row per person (up to 50), all created together or none. With the
 * activation email each gets an invitation; without it each row needs an initial password.
 * Refusals land on the row and field they name (`users.2.login`).
 */
export function AddUsersModal({ accountId, opened, onClose }: { accountId: string | undefined; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('users');
  const narrow = useMediaQuery('(max-width: 48em)');
  const add = useAddUsers(accountId);
  const form = useForm({
    initialValues: { sendActivationEmail: true, users: [emptyRow()] },
    validate: {
      users: {
        firstName: validName(t),
        lastName: validName(t),
        login: (v, values) => {
          const bad = validEmail(t)(v);
          if (bad) return bad;
          const same = values.users.filter((u) => u.login.trim().toLowerCase() === v.trim().toLowerCase());
          return same.length > 1 ? t('code.login_taken', { ns: 'errors' }) : null;
        },
        password: (v, values, path) => {
          if (values.sendActivationEmail) return null;
          const row = values.users[Number(path.split('.')[1])];
          return passwordProblem(t, v, row?.login ?? '');
        },
      },
    },
  });
  const { users, sendActivationEmail } = form.getValues();

  const close = () => {
    form.reset();
    add.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    add.mutate(
      {
        sendActivationEmail: values.sendActivationEmail,
        users: values.users.map((u) => ({
          firstName: u.firstName.trim(),
          lastName: u.lastName.trim(),
          login: u.login.trim(),
          role: u.role,
          ...(values.sendActivationEmail ? {} : { password: u.password }),
        })),
      },
      {
        onSuccess: (created) => {
          notifications.show({ color: 'green', message: t('add.done', { count: created.items.length }) });
          close();
        },
        onError: (err) => applyUserErrors(form, err, t),
      },
    ),
  );

  return (
    <Modal style={readable} opened={opened} onClose={close} title={t('add.title')} size="xl" fullScreen={narrow} closeButtonProps={{ 'aria-label': t('actions.close', { ns: 'common' }) }}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('add.intro', { max: MAX_NEW_USERS })}</Text>
          {users.map((row, i) => (
            <Fieldset
              key={row.key}
              legend={
                <Group gap="xs" wrap="nowrap">
                  <Text fw={500} component="span">
                    {t('add.row', { n: i + 1 })}
                  </Text>
                  {users.length > 1 ? <CloseButton size="sm" aria-label={t('add.removeRow', { n: i + 1 })} onClick={() => form.removeListItem('users', i)} /> : null}
                </Group>
              }
            >
              <Stack gap="sm">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label={t('add.firstName')} required autoComplete="off" maxLength={100} {...form.getInputProps(`users.${i}.firstName`)} />
                  <TextInput label={t('add.lastName')} required autoComplete="off" maxLength={100} {...form.getInputProps(`users.${i}.lastName`)} />
                  <TextInput label={t('add.login')} type="email" required autoComplete="off" maxLength={254} {...form.getInputProps(`users.${i}.login`)} />
                  {sendActivationEmail ? null : (
                    <PasswordInput
                      label={t('add.password')}
                      description={t('add.passwordHint')}
                      required
                      autoComplete="new-password"
                      maxLength={128}
                      {...form.getInputProps(`users.${i}.password`)}
                     
                    />
                  )}
                </SimpleGrid>
                <RoleChoice {...form.getInputProps(`users.${i}.role`)} />
              </Stack>
            </Fieldset>
          ))}
          <Group>
            <Button variant="default" onClick={() => form.insertListItem('users', emptyRow())} disabled={users.length >= MAX_NEW_USERS}>
              {t('add.addRow')}
            </Button>
          </Group>
          {users.length >= MAX_NEW_USERS ? (
            <Alert color="blue" role="status">
              {t('add.maxReached', { max: MAX_NEW_USERS })}
            </Alert>
          ) : null}
          <Checkbox label={t('add.sendActivation')} description={t('add.sendActivationHint')} {...form.getInputProps('sendActivationEmail', { type: 'checkbox' })} />
          <ErrorAlert error={add.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('actions.cancel', { ns: 'common' })}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
