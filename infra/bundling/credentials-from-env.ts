import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (see aliases.ts). Every SDK
 * client's runtime config imports that package's `defaultProvider`, the whole default credential chain
 * (environment, SSO, ini files, credential process, web identity, container and instance metadata),
 * and with it the SSO, STS and sign-in clients of `@aws-sdk/nested-clients`, whether or not a client
 * is given credentials. In Lambda the runtime puts the function role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), the chain's first link, so the
 * bundles keep only that link. Tests and the local stack (tsx sources) keep the whole chain.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
