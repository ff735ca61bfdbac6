import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type AppProps, type CfnElement, type Environment, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { afterAll } from '@jest/globals';
import { buildApp, type BuiltApp } from '../../infra/app.ts';

/**
 * The whole app synthesized for an infra test file, the way `cdk synth` builds it (infra/app.ts),
 * and what the files look it up with. One place owns the stand-in console build, the temporary
 * directories and their removal.
 *
 * Bundling the functions (esbuild, one run per function) is most of a synthesis's time. Only the
 * files that look at the bundles ask for it (`bundle: true`, stack.test.ts); the others skip it as
 * `cdk deploy` does for stacks it does not deploy (`aws:cdk:bundling-stacks`): their templates are
 * the same but for the code assets' hashes.
 */

export type Json = Record<string, unknown>;
export interface Resource {
  Type: string;
  Properties: Json;
}

/** One synthesis may bundle ~40 functions on a busy 2-core machine. */
export const SYNTH_TIMEOUT_MS = 240_000;

export interface SynthOptions {
  /** Context on top of cdk.json's (`-c key=value`). */
  readonly context?: Json;
  /** Account and region of the stacks (the environment's when not given). */
  readonly env?: Environment;
  /** Bundle the functions' code (only for tests that read the bundles). */
  readonly bundle?: boolean;
  /** Runs on the built app before synthesis (to add a construct, say). */
  readonly before?: (built: BuiltApp) => void;
}

export interface Synthesized {
  readonly built: BuiltApp;
  readonly assembly: CloudAssembly;
  /** A stack's template, for the assertions library. */
  template(stack: Stack): Template;
  /** A stack's resources by logical id. */
  resources(stack: Stack): Record<string, Resource>;
}

const dirs: string[] = [];
let consoleDir: string | undefined;

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  consoleDir = undefined;
});

/** A stand-in console build: the app deploys console/dist, which a clean clone has not built. */
function standInConsole(): string {
  if (consoleDir) return consoleDir;
  consoleDir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  dirs.push(consoleDir);
  writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-0.js"></script>');
  mkdirSync(path.join(consoleDir, 'assets'));
  writeFileSync(path.join(consoleDir, 'assets/index-0.js'), '');
  return consoleDir;
}

/** Builds and synthesizes the app; synthesis runs cdk-nag, so an unacknowledged finding throws here. */
export function synthApp(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'infra-cdk-'));
  dirs.push(outdir);
  const context: Json = { consoleDir: standInConsole(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context };
  const built = buildApp({ outdir, context, env: options.env });
  options.before?.(built);
  const assembly = built.app.synth();
  const templateJson = (stack: Stack) => assembly.getStackArtifact(stack.artifactId).template as { Resources: Record<string, Resource> };
  return {
    built,
    assembly,
    template: (stack) => Template.fromJSON(templateJson(stack) as unknown as Json),
    resources: (stack) => templateJson(stack).Resources,
  };
}

/**
 * A bare App for a test that builds stacks by hand: its assembly goes to a temporary directory
 * removed after the file (an App given no outdir makes a `cdk.out*` directory in the system's
 * temp dir and leaves it there).
 */
export function tempApp(props: Omit<AppProps, 'outdir'> = {}): App {
  const outdir = mkdtempSync(path.join(tmpdir(), 'infra-app-'));
  dirs.push(outdir);
  return new App({ ...props, outdir });
}

/** The logical id a construct (or its default child, for an L2) has in its stack's template. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.resolve(stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement)) as string;
}

/** The resources of one CloudFormation type, as [logical id, resource] pairs. */
export function ofType(resources: Record<string, Resource>, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}
