import { createAccountWithAdmin, DEFAULT_SETTINGS, getAccount } from '../functions/data/accounts.ts';
import { getProduct, putProduct } from '../functions/data/catalog.ts';
import { seedCatalog } from '../functions/data/seed-catalog.ts';
import { findUserIdByLogin } from '../functions/data/users.ts';
import { clock } from '../functions/platform/clock.ts';
import { hashPassword } from '../functions/platform/passwords.ts';

/**
 * What `npm start` puts in an empty table: the distributor (exactly one, with a fixed id, and a
 * demo support contact) and its admin, the Microsoft 365 catalog, and a demo customer. Safe to run on every start.
 */
export { DISTRIBUTOR_ID } from '../functions/domain/accounts.ts';
import { DISTRIBUTOR_ID } from '../functions/domain/accounts.ts';

export interface BootstrapResult {
  distributorId: string;
  demo?: { accountId: string; login: string; password: string };
  created: string[];
}

/** The distributor's demo support contact, which every account below it shows until it sets its own. */
export const DEMO_SUPPORT = {
  email: 'support@distributor.example.com',
  phone: '+49 40 1234 5678',
  url: 'https://support.distributor.example.com',
} as const;

export const DEMO = {
  name: 'Contoso Ltd',
  login: 'admin@contoso.example.com',
  password: 'Contoso-Admin-2027',
} as const;

export async function bootstrap(opts: { adminLogin: string; adminPassword: string; seedDemo: boolean }): Promise<BootstrapResult> {
  const created: string[] = [];
  let distributor = await getAccount(DISTRIBUTOR_ID);
  if (!distributor) {
    await createAccountWithAdmin(
      null,
      {
        type: 'distributor',
        name: 'Cloud Distribution GmbH',
        address: { line1: 'Hafenstraße 1', city: 'Hamburg', postalCode: '20457', country: 'DE' },
        settings: DEFAULT_SETTINGS,
        support: DEMO_SUPPORT,
      },
      {
        firstName: 'Dana',
        lastName: 'Distributor',
        login: opts.adminLogin,
        role: 'admin',
        status: 'ready',
        locale: 'en',
        passwordHash: await hashPassword(opts.adminPassword),
      },
      undefined,
      DISTRIBUTOR_ID,
    );
    created.push('distributor and its admin');
    distributor = await getAccount(DISTRIBUTOR_ID);
  } else if (!(await findUserIdByLogin(opts.adminLogin))) {
    created.push(`note: ${opts.adminLogin} is not a user of this data dir; the distributor's admin was created with another LOCAL_ADMIN_LOGIN`);
  }
  if (!distributor) throw new Error('The distributor could not be created');

  // Seeded once: a restart must not undo the distributor's edits to the catalog.
  for (const product of seedCatalog(clock.nowIso())) {
    if (!(await getProduct(product.id))) await putProduct(product);
  }
  created.push('catalog');

  let demo: BootstrapResult['demo'];
  if (opts.seedDemo) {
    const existing = await findUserIdByLogin(DEMO.login);
    if (!existing) {
      const { account } = await createAccountWithAdmin(
        distributor,
        {
          type: 'customer',
          name: DEMO.name,
          address: { line1: '1 Microsoft Way', city: 'Dublin', postalCode: 'D02 XY45', country: 'IE' },
          settings: DEFAULT_SETTINGS,
        },
        {
          firstName: 'Chris',
          lastName: 'Contoso',
          login: DEMO.login,
          role: 'admin',
          status: 'ready',
          locale: 'en',
          passwordHash: await hashPassword(DEMO.password),
        },
      );
      created.push('demo customer');
      demo = { accountId: account.id, login: DEMO.login, password: DEMO.password };
    } else {
      const { getUser } = await import('../functions/data/users.ts');
      const user = await getUser(existing);
      demo = { accountId: user?.accountId ?? '?', login: DEMO.login, password: DEMO.password };
    }
  }
  return { distributorId: distributor.id, demo, created };
}
