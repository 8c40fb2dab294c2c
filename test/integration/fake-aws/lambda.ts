// Lambda's function, version and alias APIs as the API reference and the function-states guide
// describe them, for a container-image function:
// - CreateFunction answers State Pending; reads report Pending until Lambda is done, then Active
//   (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html). An update leaves State Active
//   and sets LastUpdateStatus InProgress, then Successful. While Pending or InProgress, updates and
//   PublishVersion are refused with ResourceConflictException.
// - Every write gives a new RevisionId; a write that names an older one gets PreconditionFailedException
//   (API_UpdateFunctionCode.html#lambda-UpdateFunctionCode-request-RevisionId).
// - Lambda resolves the image: CodeSha256 is the manifest digest (hex), ResolvedImageUri is repo@sha256:…,
//   and an image the registry does not hold, or an index, is refused (InvalidParameterValueException).
// - Defaults are filled in: Timeout 3, MemorySize 128, EphemeralStorage 512, Architectures [x86_64]
//   (API_CreateFunction.html). ImageConfigResponse is absent when no ImageConfig was set (moto's empty
//   lists are its own departure, aws-apis.md "moto"). Whether Lambda answers an empty Environment as {}
//   or leaves it out is not documented: the fake leaves it out, the sparser answer logship must accept.
import * as sdk from "@aws-sdk/client-lambda";
import type { AwsStub } from "aws-sdk-client-mock";
import { ACCOUNT, REGION, SINGLE_MANIFESTS, awsError, lambdaTime, newRevision, registryManifest } from "./common.js";
import { fakeLambdaUrls, type UrlState } from "./lambda-url.js";

/** How many reads of a function (or version) report it busy before Lambda has finished. */
export const BUSY_READS = 1;

interface Revisioned {
  cfg: sdk.FunctionConfiguration;
  busyReads: number;
  /** A version: the RevisionId of $LATEST it was published from. */
  from?: string;
  /** A version: the image it was published with (versions are immutable, configuration-versions.html). */
  code?: sdk.FunctionCodeLocation;
}

export interface LambdaFn extends Revisioned, UrlState {
  code: sdk.FunctionCodeLocation;
  tags: Record<string, string>;
  versions: Map<string, Revisioned>;
  aliases: Map<string, sdk.AliasConfiguration>;
}

export interface LambdaWorld {
  fn?: LambdaFn;
  /** Whether IAM holds this role (Lambda refuses a role it cannot assume). */
  roleExists: (arn: string) => boolean;
  /** The image's repository inside the loopback registry, for an ImageUri. */
  registryRepo: (imageUri: string) => string;
  /** Called after each GetFunction answer: a test's stand-in for another deploy writing meanwhile. */
  afterGetFunction?: (fn: LambdaFn) => void;
}

const arnOf = (name: string, qualifier?: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ""}`;

/** Settles a busy function once it has been read BUSY_READS times. */
function read(r: Revisioned): sdk.FunctionConfiguration {
  if (r.busyReads > 0) r.busyReads--;
  else if (r.cfg.State === "Pending") r.cfg = { ...r.cfg, State: "Active", StateReason: undefined, StateReasonCode: undefined };
  else if (r.cfg.LastUpdateStatus === "InProgress") r.cfg = { ...r.cfg, LastUpdateStatus: "Successful", LastUpdateStatusReason: undefined, LastUpdateStatusReasonCode: undefined };
  return structuredClone(r.cfg);
}

function settleCheck(r: Revisioned, revisionId: string | undefined) {
  const arn = r.cfg.FunctionArn!;
  if (r.cfg.State === "Pending") {
    throw awsError(sdk.ResourceConflictException, `The operation cannot be performed at this time. The function is currently in the following state: Pending`, { Type: "User" });
  }
  if (r.cfg.LastUpdateStatus === "InProgress") {
    throw awsError(sdk.ResourceConflictException, `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`, { Type: "User" });
  }
  if (revisionId !== undefined && revisionId !== r.cfg.RevisionId) {
    throw awsError(sdk.PreconditionFailedException, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", { Type: "User" });
  }
}

/** Resolves ImageUri as Lambda does: the registry must hold a single-image manifest for it. */
async function resolveImage(w: LambdaWorld, imageUri: string) {
  const ref = /@(sha256:[a-f0-9]{64})$/.exec(imageUri)?.[1] ?? /:([^:/@]+)$/.exec(imageUri)?.[1] ?? "latest";
  const repoUri = imageUri.replace(/@sha256:[a-f0-9]{64}$/, "").replace(/:[^:/@]+$/, "");
  const m = await registryManifest(w.registryRepo(imageUri), ref);
  if (!m) throw awsError(sdk.InvalidParameterValueException, `Source image ${imageUri} does not exist. Provide a valid source image.`, { Type: "User" });
  if (!SINGLE_MANIFESTS.includes(m.mediaType)) {
    throw awsError(sdk.InvalidParameterValueException, `The image manifest, config or layer media type for the source image ${imageUri} is not supported.`, { Type: "User" });
  }
  return { CodeSha256: m.digest.replace(/^sha256:/, ""), code: { RepositoryType: "ECR", ImageUri: imageUri, ResolvedImageUri: `${repoUri}@${m.digest}` } };
}

const environment = (vars: Record<string, string> | undefined) => (vars && Object.keys(vars).length ? { Environment: { Variables: { ...vars } } } : {});
/** Set: Lambda answers WorkingDirectory "" when only the entrypoint or command was given (observed, fujiwara/lambroll#307). */
const imageConfig = (c: sdk.ImageConfig | undefined) =>
  c && (c.EntryPoint?.length || c.Command?.length || c.WorkingDirectory)
    ? { ImageConfigResponse: { ImageConfig: { ...structuredClone(c), WorkingDirectory: c.WorkingDirectory ?? "" } } }
    : {};

export function fakeLambda(lambda: AwsStub<any, any, any>, w: LambdaWorld) {
  const fnOr404 = (name: string | undefined): LambdaFn => {
    const fn = w.fn;
    if (!fn || (name !== fn.cfg.FunctionName && name !== fn.cfg.FunctionArn)) {
      throw awsError(sdk.ResourceNotFoundException, `Function not found: ${arnOf(String(name))}`, { Type: "User" });
    }
    return fn;
  };
  const qualified = (fn: LambdaFn, q: string | undefined): Revisioned => {
    if (!q || q === "$LATEST") return fn;
    const v = fn.versions.get(q) ?? fn.versions.get(fn.aliases.get(q)?.FunctionVersion ?? "");
    if (!v) throw awsError(sdk.ResourceNotFoundException, `Function not found: ${arnOf(fn.cfg.FunctionName!, q)}`, { Type: "User" });
    return v;
  };
  const write = (r: Revisioned, change: Partial<sdk.FunctionConfiguration>) => {
    r.cfg = { ...r.cfg, ...change, RevisionId: newRevision(), LastModified: lambdaTime(), LastUpdateStatus: "InProgress" };
    r.busyReads = BUSY_READS;
    return structuredClone(r.cfg);
  };
  const assumable = (role: string | undefined) => {
    if (!role || !w.roleExists(role)) {
      throw awsError(sdk.InvalidParameterValueException, "The role defined for the function cannot be assumed by Lambda.", { Type: "User" });
    }
  };

  lambda.on(sdk.GetFunctionCommand).callsFake(async (input: sdk.GetFunctionCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    const r = qualified(fn, input.Qualifier);
    const Configuration = read(r);
    const answer = { Configuration, Code: structuredClone(r.code ?? fn.code), Tags: { ...fn.tags } };
    w.afterGetFunction?.(fn);
    return answer;
  });
  lambda.on(sdk.GetFunctionConfigurationCommand).callsFake(async (input: sdk.GetFunctionConfigurationCommandInput) =>
    read(qualified(fnOr404(input.FunctionName), input.Qualifier)));

  lambda.on(sdk.CreateFunctionCommand).callsFake(async (input: sdk.CreateFunctionCommandInput) => {
    const name = input.FunctionName!;
    if (w.fn) throw awsError(sdk.ResourceConflictException, `Function already exist: ${name}`, { Type: "User" });
    assumable(input.Role);
    const image = await resolveImage(w, input.Code!.ImageUri!);
    const cfg: sdk.FunctionConfiguration = {
      FunctionName: name, FunctionArn: arnOf(name), Role: input.Role, CodeSize: 0, Description: input.Description ?? "",
      Timeout: input.Timeout ?? 3, MemorySize: input.MemorySize ?? 128, LastModified: lambdaTime(), CodeSha256: image.CodeSha256,
      Version: "$LATEST", ...environment(input.Environment?.Variables), TracingConfig: { Mode: "PassThrough" },
      RevisionId: newRevision(), PackageType: "Image", Architectures: input.Architectures ?? ["x86_64"],
      EphemeralStorage: { Size: input.EphemeralStorage?.Size ?? 512 }, ...imageConfig(input.ImageConfig),
      SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
      LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${name}` },
      State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating",
    };
    w.fn = { cfg, busyReads: BUSY_READS, code: image.code, tags: { ...input.Tags }, versions: new Map(), aliases: new Map(), urls: new Map(), policies: new Map() };
    return structuredClone(cfg);
  });

  lambda.on(sdk.UpdateFunctionCodeCommand).callsFake(async (input: sdk.UpdateFunctionCodeCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    settleCheck(fn, input.RevisionId);
    const image = await resolveImage(w, input.ImageUri!);
    fn.code = image.code;
    return write(fn, { CodeSha256: image.CodeSha256, Architectures: input.Architectures ?? fn.cfg.Architectures });
  });

  lambda.on(sdk.UpdateFunctionConfigurationCommand).callsFake(async (input: sdk.UpdateFunctionConfigurationCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    settleCheck(fn, input.RevisionId);
    if (input.Role) assumable(input.Role);
    const change: Partial<sdk.FunctionConfiguration> = {};
    if (input.Role) change.Role = input.Role;
    if (input.MemorySize) change.MemorySize = input.MemorySize;
    if (input.Timeout) change.Timeout = input.Timeout;
    if (input.EphemeralStorage) change.EphemeralStorage = { Size: input.EphemeralStorage.Size };
    if (input.Environment) change.Environment = environment(input.Environment.Variables).Environment;
    if (input.ImageConfig) change.ImageConfigResponse = imageConfig(input.ImageConfig).ImageConfigResponse;
    return write(fn, change);
  });

  // "Lambda doesn't create a new version if the code and configuration haven't changed since the last
  // version" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html): it answers with that version.
  lambda.on(sdk.PublishVersionCommand).callsFake(async (input: sdk.PublishVersionCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    settleCheck(fn, input.RevisionId);
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.cfg.CodeSha256) {
      throw awsError(sdk.InvalidParameterValueException, `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.cfg.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`, { Type: "User" });
    }
    const same = [...fn.versions.values()].find((v) => v.from === fn.cfg.RevisionId);
    if (same) return structuredClone(same.cfg);
    const Version = String(fn.versions.size + 1);
    const v: Revisioned = {
      // A new version starts Pending like a new function (the PublishedVersionActive waiter exists for it).
      cfg: {
        ...fn.cfg, Version, FunctionArn: arnOf(fn.cfg.FunctionName!, Version), Description: input.Description ?? "", RevisionId: newRevision(),
        State: "Pending", StateReasonCode: "Creating", StateReason: "The function is being created.",
      },
      busyReads: BUSY_READS, from: fn.cfg.RevisionId, code: structuredClone(fn.code),
    };
    fn.versions.set(Version, v);
    return structuredClone(v.cfg);
  });

  // $LATEST first, then the published versions; one page of up to 50 (API_ListVersionsByFunction.html).
  lambda.on(sdk.ListVersionsByFunctionCommand).callsFake(async (input: sdk.ListVersionsByFunctionCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    return { Versions: [fn, ...fn.versions.values()].map((r) => structuredClone(r.cfg)) };
  });

  const aliasArn = (fn: LambdaFn, name: string) => arnOf(fn.cfg.FunctionName!, name);
  lambda.on(sdk.GetAliasCommand).callsFake(async (input: sdk.GetAliasCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    const a = fn.aliases.get(input.Name!);
    if (!a) throw awsError(sdk.ResourceNotFoundException, `Alias not found: ${aliasArn(fn, input.Name!)}`, { Type: "User" });
    return structuredClone(a);
  });
  lambda.on(sdk.CreateAliasCommand).callsFake(async (input: sdk.CreateAliasCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    if (fn.aliases.has(input.Name!)) throw awsError(sdk.ResourceConflictException, `Alias already exists: ${aliasArn(fn, input.Name!)}`, { Type: "User" });
    qualified(fn, input.FunctionVersion);
    const a = { AliasArn: aliasArn(fn, input.Name!), Name: input.Name, FunctionVersion: input.FunctionVersion, Description: input.Description ?? "", RevisionId: newRevision() };
    fn.aliases.set(input.Name!, a);
    return structuredClone(a);
  });
  lambda.on(sdk.UpdateAliasCommand).callsFake(async (input: sdk.UpdateAliasCommandInput) => {
    const fn = fnOr404(input.FunctionName);
    const a = fn.aliases.get(input.Name!);
    if (!a) throw awsError(sdk.ResourceNotFoundException, `Alias not found: ${aliasArn(fn, input.Name!)}`, { Type: "User" });
    if (input.RevisionId !== undefined && input.RevisionId !== a.RevisionId) {
      throw awsError(sdk.PreconditionFailedException, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id", { Type: "User" });
    }
    if (input.FunctionVersion) qualified(fn, input.FunctionVersion);
    Object.assign(a, { FunctionVersion: input.FunctionVersion ?? a.FunctionVersion, RevisionId: newRevision() });
    return structuredClone(a);
  });

  fakeLambdaUrls(lambda, (name) => fnOr404(name), arnOf);
}
