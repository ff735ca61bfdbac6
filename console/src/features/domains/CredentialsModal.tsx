import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Credentials } from './CreateDomainForm';

/**
 * The new tenant's admin credentials, shown this once: the API keeps no copy, so the dialog says
 * so and closes only by the person confirming they stored them.
 */
export function CredentialsModal({ credentials, onClose }: { credentials: Credentials | undefined; onClose: () => void }) {
  const { t } = useTranslation('domains');
  return (
    <Modal opened={!!credentials} onClose={onClose} title={t('credentials.title')} withCloseButton={false} closeOnClickOutside={false} closeOnEscape={false}>
      {credentials ? (
        <Stack gap="sm">
          <Alert color="orange" variant="light" role="alert" title={t('credentials.warningTitle')}>
            {t('credentials.warning')}
          </Alert>
          <Text size="sm">{t('credentials.intro', { domain: credentials.domain })}</Text>
          <TextInput label={t('credentials.login')} value={credentials.login} readOnly />
          <CopyButton value={credentials.login}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('credentials.copied') : t('credentials.copyLogin')}
              </Button>
            )}
          </CopyButton>
          <TextInput label={t('credentials.password')} value={credentials.password} readOnly styles={{ input: { fontFamily: 'monospace' } }} />
          <CopyButton value={credentials.password}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? t('credentials.copied') : t('credentials.copyPassword')}
              </Button>
            )}
          </CopyButton>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('credentials.stored')}</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
