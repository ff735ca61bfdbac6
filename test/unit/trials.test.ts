/**
 * Trials and qualifications as rules (functions/domain/trials.ts, docs/product.md#trials-and-qualifications),
 * the sandbox vendor's qualification rule (functions/platform/vendor/sandbox.ts, docs/product.md#sandboxes-and-their-magic-values)
 * and what the eligibility service refuses (functions/services/eligibility.ts), with fakes.
 */
import { jest } from '@jest/globals';
import { missingQualification, trialEnd, trialRefusal, type Trial } from '#domain/trials.ts';
import { nextTermOf, offerForNextTerm } from '#domain/scheduled-change.ts';
import { qualificationVerdict } from '#platform/vendor/sandbox.ts';
import { makeEligibility } from '#services/eligibility.ts';
import { AppError } from '#platform/errors.ts';

describe('trialEnd: the last day of a trial, inclusive', () => {
  it.each([
    ['2027-01-10', 30, '2027-02-08'], // converts on 2027-02-09
    ['2027-01-10', 1, '2027-01-10'], // a one-day trial ends the day it starts
    ['2027-02-20', 14, '2027-03-05'], // across a short February
    ['2028-02-20', 14, '2028-03-04'], // across a leap-year February
    ['2027-12-25', 10, '2028-01-03'], // across a year
    ['2027-03-01', 90, '2027-05-29'],
  ])('from %s for %i days → %s', (start, days, end) => {
    expect(trialEnd(start, days)).toBe(end);
  });
});

describe('missingQualification', () => {
  it.each<[string, { requiresQualification?: 'education' | 'nonprofit' | 'government' | null }, string[] | undefined, string | undefined]>([
    ['a product that requires none, any domain: none missing', {}, undefined, undefined],
    ['a product that requires none (null), any domain', { requiresQualification: null }, [], undefined],
    ['education required, an education domain', { requiresQualification: 'education' }, ['education'], undefined],
    ['education required, a domain with none: education missing', { requiresQualification: 'education' }, [], 'education'],
    ['education required, a domain without the list', { requiresQualification: 'education' }, undefined, 'education'],
    ['government required, a nonprofit domain', { requiresQualification: 'government' }, ['nonprofit'], 'government'],
  ])('%s', (_case, product, domain, missing) => {
    expect(missingQualification(product, domain)).toBe(missing);
  });
});

describe('trialRefusal: a product keeps at most one trial, naming one of its paid offers, for 1 to 90 days', () => {
  const paid = { id: 'ofr_paid', path: '' };
  const trial = (t: Trial, path = 'addOffers.0') => ({ id: `ofr_t${path}`, trial: t, path });

  it('accepts a product without trials, and one trial naming a paid offer', () => {
    expect(trialRefusal([paid])).toBeUndefined();
    expect(trialRefusal([paid, trial({ days: 30, convertsToOfferId: 'ofr_paid' })])).toBeUndefined();
    expect(trialRefusal([paid, trial({ days: 1, convertsToOfferId: 'ofr_paid' })])).toBeUndefined();
    expect(trialRefusal([paid, trial({ days: 90, convertsToOfferId: 'ofr_paid' })])).toBeUndefined();
  });

  it.each<[string, Array<{ id: string; trial?: Trial; path: string }>, string]>([
    ['a second trial', [paid, trial({ days: 30, convertsToOfferId: 'ofr_paid' }, 'a'), trial({ days: 7, convertsToOfferId: 'ofr_paid' }, 'addOffers.1')], 'addOffers.1'],
    ['an offer of another product', [paid, trial({ days: 30, convertsToOfferId: 'ofr_elsewhere' })], 'addOffers.0.trial.convertsToOfferId'],
    ['a trial naming itself', [paid, { id: 'ofr_self', trial: { days: 30, convertsToOfferId: 'ofr_self' }, path: 'addOffers.0' }], 'addOffers.0.trial.convertsToOfferId'],
    ['0 days', [paid, trial({ days: 0, convertsToOfferId: 'ofr_paid' })], 'addOffers.0.trial.days'],
    ['91 days', [paid, trial({ days: 91, convertsToOfferId: 'ofr_paid' })], 'addOffers.0.trial.days'],
    ['half a day', [paid, trial({ days: 1.5, convertsToOfferId: 'ofr_paid' })], 'addOffers.0.trial.days'],
  ])('refuses %s', (_case, offers, path) => {
    expect(trialRefusal(offers)).toEqual({ code: 'invalid_trial', message: expect.any(String), path });
  });
});

describe('nextTermOf: a trial converts to the paid offer it names', () => {
  const sub = { productId: 'prd_1', offerId: 'ofr_trial', quantity: 3, assignedCount: 1 };
  it('moves a trial to its paid offer', () => {
    expect(nextTermOf({ ...sub, trial: { convertsToOfferId: 'ofr_paid' } })).toMatchObject({ productId: 'prd_1', offerId: 'ofr_paid', quantity: 3, changesOffer: true });
  });
  it('keeps any other subscription on its offer', () => {
    expect(nextTermOf(sub)).toMatchObject({ offerId: 'ofr_trial', changesOffer: false });
    expect(nextTermOf({ ...sub, trial: null })).toMatchObject({ offerId: 'ofr_trial', changesOffer: false });
  });
  it('lets a scheduled change name another offer', () => {
    expect(nextTermOf({ ...sub, trial: { convertsToOfferId: 'ofr_paid' }, scheduledChange: { offerId: 'ofr_other' } }).offerId).toBe('ofr_other');
  });
});

describe('offerForNextTerm never picks a trial', () => {
  const offers = [
    { id: 'ofr_paid', term: 'P1Y', billingPeriod: 'monthly' },
    { id: 'ofr_trial', term: 'P1Y', billingPeriod: 'monthly', trial: { days: 30, convertsToOfferId: 'ofr_paid' } },
  ];
  it('refuses a trial named, and finds the paid offer by term and billing period', () => {
    expect(offerForNextTerm(offers, { offerId: 'ofr_trial', term: 'P1Y', billingPeriod: 'monthly' })).toBeUndefined();
    expect(offerForNextTerm([...offers].reverse(), { term: 'P1Y', billingPeriod: 'monthly' })?.id).toBe('ofr_paid');
    expect(offerForNextTerm(offers, { offerId: 'ofr_paid', term: 'P1M', billingPeriod: 'monthly' })?.id).toBe('ofr_paid');
  });
});

describe('the sandbox vendor approves every qualification but for a noqual- prefix', () => {
  it.each([
    ['contoso-edu', 'education', true],
    ['noqualms', 'nonprofit', true], // the prefix is noqual- with its dash
    ['noqual-school', 'education', false],
    ['NOQUAL-city', 'government', false],
  ])('%s asking for %s → approved %s', (prefix, qualification, approved) => {
    const verdict = qualificationVerdict(prefix, qualification);
    expect(verdict.approved).toBe(approved);
    if (!approved) expect(verdict.reason).toContain(qualification);
  });
});

describe('eligibility', () => {
  const company = { name: 'Contoso', address: { line1: '1 Way', city: 'Berlin', postalCode: '10115', country: 'DE' }, contact: { firstName: 'A', lastName: 'B', email: 'a@b.test' } };
  function make(opts: { approved?: boolean; taken?: boolean } = {}) {
    const verifyQualification = jest.fn(async () => ({ approved: opts.approved ?? true, reason: 'no' }));
    const trialTaken = jest.fn(async () => (opts.taken ? { domainId: 'dom_1', productId: 'prd_1', orderId: 'ord_1', createdAt: '2027-01-01T00:00:00Z' } : undefined));
    const service = makeEligibility({
      domains: { getDomain: async () => undefined },
      trials: { trialTaken },
      vendor: (call) => call({ verifyQualification }),
    });
    return { service, verifyQualification, trialTaken };
  }
  const refusalOf = async (p: Promise<unknown>) => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };
  const product = { id: 'prd_1', name: 'A3', requiresQualification: 'education' as const };

  it('asks the vendor only when a qualification is asked for, and answers the approved one', async () => {
    const { service, verifyQualification } = make();
    expect(await service.approvedQualifications({ prefix: 'x', company }, 'qualification')).toEqual([]);
    expect(verifyQualification).not.toHaveBeenCalled();
    expect(await service.approvedQualifications({ prefix: 'x', company, qualification: 'education' }, 'qualification')).toEqual(['education']);
  });

  it('refuses a qualification the vendor does not approve (422 qualification_refused) at the path given', async () => {
    const err = await refusalOf(make({ approved: false }).service.approvedQualifications({ prefix: 'x', company, qualification: 'nonprofit' }, 'domain.qualification'));
    expect(err).toMatchObject({ status: 422, code: 'qualification_refused', details: [{ path: 'domain.qualification', qualification: 'nonprofit' }] });
  });

  it('refuses a line whose product requires a qualification the domain lacks, naming the line', async () => {
    const lines = [{ product: { id: 'prd_0', name: 'Basic' }, offer: {} }, { product, offer: {} }];
    const err = await refusalOf(make().service.checkLines(lines, { id: 'dom_1', qualifications: ['nonprofit'], isNew: false }));
    expect(err).toMatchObject({ status: 422, code: 'qualification_required', details: [{ path: 'lines.1.offerId', qualification: 'education' }] });
    expect(await make().service.checkLines(lines, { id: 'dom_1', qualifications: ['education'], isNew: false })).toEqual([]);
  });

  it('answers the trials an order takes, refuses one the domain has had, and reads no marker for a new domain', async () => {
    const lines = [{ product: { id: 'prd_1', name: 'Premium' }, offer: { trial: { days: 30, convertsToOfferId: 'ofr_p' } } }];
    expect(await make().service.checkLines(lines, { id: 'dom_1', qualifications: [], isNew: false })).toEqual(['prd_1']);
    const err = await refusalOf(make({ taken: true }).service.checkLines(lines, { id: 'dom_1', qualifications: [], isNew: false }));
    expect(err).toMatchObject({ status: 422, code: 'trial_already_used', details: [{ path: 'lines.0.offerId' }] });
    const fresh = make({ taken: true });
    expect(await fresh.service.checkLines(lines, { id: 'dom_new', qualifications: [], isNew: true })).toEqual(['prd_1']);
    expect(fresh.trialTaken).not.toHaveBeenCalled();
  });
});
