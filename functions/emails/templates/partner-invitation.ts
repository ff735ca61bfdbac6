import * as z from 'zod/mini';
import { fields, type Rich } from '../layout.ts';
import { localized } from '../shapes.ts';

/**
 * The reseller-relationship invitation (docs/product.md#microsoft-domains), to the customer admin when a Microsoft tenant
 * that had another provider is linked: the domain stays `pending_partner_acceptance`, and its orders
 * wait, until they accept the partner relationship in the portal.
 */
export const partnerInvitation = localized({
  schema: z.object({
    recipientName: fields.text,
    domain: fields.text,
    /** The distributor or reseller that asks to become the tenant's partner. */
    partnerName: fields.text,
    accountName: fields.text,
    /** The portal page where the customer admin accepts the relationship. */
    acceptUrl: fields.url,
  }),
  words: {
    en: {
      subject: (partner: string, domain: string) => `Action required: accept the partner relationship with ${partner} for ${domain}`,
      asks: (partner: string, domain: string): Rich => [
        { strong: partner },
        ' asks to become the Microsoft partner (reseller) of your tenant ',
        { strong: domain },
        ', which has been linked to your account in the license portal.',
      ],
      labels: { domain: 'Microsoft domain (tenant)', customer: 'Customer', partner: 'Requested by' },
      why:
        'Because this tenant already had another provider, an administrator must accept the new partner relationship. ' +
        'Until then, orders for this domain cannot be provisioned.',
      how: 'Please sign in to the portal and accept the partner relationship there:',
      button: 'Accept the partner relationship',
      unexpected: (partner: string) => `If you were not expecting this invitation, please do not accept it and contact ${partner}.`,
    },
    es: {
      subject: (partner: string, domain: string) => `Acción necesaria: acepte la relación de partner con ${partner} para ${domain}`,
      asks: (partner: string, domain: string): Rich => [
        { strong: partner },
        ' solicita ser el partner de Microsoft (revendedor) de su inquilino ',
        { strong: domain },
        ', que se ha vinculado a su cuenta en el portal de licencias.',
      ],
      labels: { domain: 'Dominio de Microsoft (inquilino)', customer: 'Cliente', partner: 'Solicitado por' },
      why:
        'Como este inquilino ya tenía otro proveedor, un administrador debe aceptar la nueva relación de partner. ' +
        'Hasta entonces, los pedidos para este dominio no se podrán aprovisionar.',
      how: 'Le rogamos que inicie sesión en el portal y acepte allí la relación de partner:',
      button: 'Aceptar la relación de partner',
      unexpected: (partner: string) => `Si no esperaba esta invitación, no la acepte y póngase en contacto con ${partner}.`,
    },
    de: {
      subject: (partner: string, domain: string) => `Handlungsbedarf: Partnerbeziehung mit ${partner} für ${domain} annehmen`,
      asks: (partner: string, domain: string): Rich => [
        { strong: partner },
        ' möchte Microsoft-Partner (Reseller) Ihres Mandanten ',
        { strong: domain },
        ' werden. Der Mandant wurde im Lizenzportal mit Ihrem Konto verknüpft.',
      ],
      labels: { domain: 'Microsoft-Domäne (Mandant)', customer: 'Kunde', partner: 'Angefragt von' },
      why:
        'Da dieser Mandant bereits einen anderen Anbieter hatte, muss ein Administrator die neue Partnerbeziehung annehmen. ' +
        'Bis dahin können Bestellungen für diese Domäne nicht bereitgestellt werden.',
      how: 'Bitte melden Sie sich im Portal an und nehmen Sie die Partnerbeziehung dort an:',
      button: 'Partnerbeziehung annehmen',
      unexpected: (partner: string) => `Falls Sie diese Einladung nicht erwartet haben, nehmen Sie sie bitte nicht an und wenden Sie sich an ${partner}.`,
    },
  },
  message: (w, d) => ({
    subject: w.subject(d.partnerName, d.domain),
    blocks: [
      { p: w.asks(d.partnerName, d.domain) },
      {
        facts: [
          [w.labels.domain, d.domain],
          [w.labels.customer, d.accountName],
          [w.labels.partner, d.partnerName],
        ],
      },
      { p: w.why },
      { p: w.how },
      { button: { label: w.button, url: d.acceptUrl } },
      { p: w.unexpected(d.partnerName) },
    ],
  }),
});
