// ECR's control plane, IAM and STS, answering as their API references document. ECR's images are read from
// the real registry on loopback (what `docker push` really uploaded), not from what logship sent.
// The one adaptation to this machine: repositoryUri and proxyEndpoint name the loopback registry
// instead of <account>.dkr.ecr.<region>.amazonaws.com.
import type { AwsStub } from "aws-sdk-client-mock";
import * as ecrSdk from "@aws-sdk/client-ecr";
import * as iamSdk from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ACCOUNT, REGION, awsError, registryManifest, tagsOf } from "./common.js";

export interface EcrFake {
  repo: string;
  /** Base64 of "AWS:<password>", as GetAuthorizationToken hands it out. */
  token: string;
  lifecyclePolicy?: string;
}

const IN_REGISTRY = `in the registry with id '${ACCOUNT}'`;

/** https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html, API_DescribeImages.html, API_GetLifecyclePolicy.html */
export function fakeEcr(ecr: AwsStub<any, any, any>, w: EcrFake) {
  const createdAt = new Date();
  const repoNotFound = (name: string) =>
    awsError(ecrSdk.RepositoryNotFoundException, `The repository with name '${name}' does not exist ${IN_REGISTRY}`);
  const mustBeOurs = (name: string | undefined) => {
    if (name !== w.repo) throw repoNotFound(String(name));
  };

  ecr.on(ecrSdk.DescribeRepositoriesCommand).callsFake(async (input: ecrSdk.DescribeRepositoriesCommandInput) => {
    for (const name of input.repositoryNames ?? [w.repo]) mustBeOurs(name);
    return {
      repositories: [{
        registryId: ACCOUNT, repositoryName: w.repo, repositoryUri: `localhost:5000/${w.repo}`,
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${w.repo}`, createdAt,
        imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: "AES256" }, // the default when none is given (API_EncryptionConfiguration.html)
      }],
    };
  });
  ecr.on(ecrSdk.GetLifecyclePolicyCommand).callsFake(async (input: ecrSdk.GetLifecyclePolicyCommandInput) => {
    mustBeOurs(input.repositoryName);
    if (!w.lifecyclePolicy) {
      throw awsError(ecrSdk.LifecyclePolicyNotFoundException, `Lifecycle policy does not exist for the repository with name '${w.repo}' ${IN_REGISTRY}`);
    }
    return { registryId: ACCOUNT, repositoryName: w.repo, lifecyclePolicyText: w.lifecyclePolicy, lastEvaluatedAt: createdAt };
  });
  ecr.on(ecrSdk.PutLifecyclePolicyCommand).callsFake(async (input: ecrSdk.PutLifecyclePolicyCommandInput) => {
    mustBeOurs(input.repositoryName);
    w.lifecyclePolicy = input.lifecyclePolicyText;
    return { registryId: ACCOUNT, repositoryName: w.repo, lifecyclePolicyText: input.lifecyclePolicyText };
  });
  ecr.on(ecrSdk.GetAuthorizationTokenCommand).callsFake(async () => ({
    // Valid for 12 hours (API_AuthorizationData.html).
    authorizationData: [{ authorizationToken: w.token, proxyEndpoint: "http://localhost:5000", expiresAt: new Date(Date.now() + 12 * 3600_000) }],
  }));

  // An image ECR "has" is one the registry really holds; its digest and media type are the registry's.
  ecr.on(ecrSdk.DescribeImagesCommand).callsFake(async (input: ecrSdk.DescribeImagesCommandInput) => {
    mustBeOurs(input.repositoryName);
    const imageDetails: ecrSdk.ImageDetail[] = [];
    for (const id of input.imageIds ?? []) {
      const m = await registryManifest(w.repo, id.imageDigest ?? id.imageTag ?? "");
      if (!m || (id.imageDigest && id.imageTag && (await registryManifest(w.repo, id.imageTag))?.digest !== m.digest)) {
        throw awsError(ecrSdk.ImageNotFoundException,
          `The image with imageId {imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'} does not exist ` +
          `within the repository with name '${w.repo}' ${IN_REGISTRY}`);
      }
      imageDetails.push({
        registryId: ACCOUNT, repositoryName: w.repo, imageDigest: m.digest, imageTags: await tagsOf(w.repo, m.digest),
        imageSizeInBytes: m.size, imagePushedAt: new Date(), imageManifestMediaType: m.mediaType,
        artifactMediaType: JSON.parse(m.body).config?.mediaType,
      });
    }
    return { imageDetails };
  });
  // A missing image is a failure entry, not an exception (API_BatchGetImage.html, API_ImageFailure.html).
  ecr.on(ecrSdk.BatchGetImageCommand).callsFake(async (input: ecrSdk.BatchGetImageCommandInput) => {
    mustBeOurs(input.repositoryName);
    const out: ecrSdk.BatchGetImageCommandOutput = { images: [], failures: [], $metadata: {} };
    for (const imageId of input.imageIds ?? []) {
      const m = await registryManifest(w.repo, imageId.imageDigest ?? imageId.imageTag ?? "");
      if (!m) out.failures!.push({ imageId, failureCode: "ImageNotFound", failureReason: "Requested image not found" });
      else out.images!.push({ registryId: ACCOUNT, repositoryName: w.repo, imageId: { ...imageId, imageDigest: m.digest }, imageManifest: m.body, imageManifestMediaType: m.mediaType });
    }
    return out;
  });
}

interface Role {
  Role: iamSdk.Role;
  policies: string[];
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html, API_CreateRole.html, API_Role.html */
export function fakeIam(iam: AwsStub<any, any, any>, roles = new Map<string, Role>()) {
  const role = (RoleName: string) => {
    const r = roles.get(RoleName);
    if (!r) throw awsError(iamSdk.NoSuchEntityException, `The role with name ${RoleName} cannot be found.`);
    return r;
  };
  iam.on(iamSdk.GetRoleCommand).callsFake(async (input: iamSdk.GetRoleCommandInput) => ({ Role: role(input.RoleName!).Role }));
  iam.on(iamSdk.CreateRoleCommand).callsFake(async (input: iamSdk.CreateRoleCommandInput) => {
    const RoleName = input.RoleName!;
    if (roles.has(RoleName)) throw awsError(iamSdk.EntityAlreadyExistsException, `Role with name ${RoleName} already exists.`);
    JSON.parse(input.AssumeRolePolicyDocument!); // MalformedPolicyDocument otherwise; logship always sends JSON
    const Role: iamSdk.Role = {
      Path: input.Path ?? "/", RoleName, Arn: `arn:aws:iam::${ACCOUNT}:role/${RoleName}`,
      // A unique id (AROA + 17 characters) and the creation time, both fixed for the role's life.
      RoleId: `AROA${Math.random().toString(36).slice(2, 12).toUpperCase().padEnd(17, "X")}`, CreateDate: new Date(),
      // "The policy document is URL-encoded compliant with RFC 3986" (API_Role.html#IAM-Type-Role-AssumeRolePolicyDocument).
      AssumeRolePolicyDocument: encodeURIComponent(input.AssumeRolePolicyDocument!),
      Description: input.Description, MaxSessionDuration: input.MaxSessionDuration ?? 3600, Tags: input.Tags, RoleLastUsed: {},
    };
    roles.set(RoleName, { Role, policies: [] });
    const { RoleLastUsed: _, ...created } = Role; // CreateRole's answer carries no RoleLastUsed
    return { Role: created };
  });
  iam.on(iamSdk.ListAttachedRolePoliciesCommand).callsFake(async (input: iamSdk.ListAttachedRolePoliciesCommandInput) => ({
    AttachedPolicies: role(input.RoleName!).policies.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split("/").pop() })),
    IsTruncated: false,
  }));
  iam.on(iamSdk.AttachRolePolicyCommand).callsFake(async (input: iamSdk.AttachRolePolicyCommandInput) => {
    const r = role(input.RoleName!);
    if (!input.PolicyArn!.startsWith("arn:aws:iam::aws:policy/")) {
      throw awsError(iamSdk.NoSuchEntityException, `Policy ${input.PolicyArn} does not exist or is not attachable.`);
    }
    if (!r.policies.includes(input.PolicyArn!)) r.policies.push(input.PolicyArn!); // attaching twice is a no-op
    return {};
  });
  return roles;
}

/** The caller is an IAM user in the commercial partition (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). */
export function fakeSts(sts: AwsStub<any, any, any>) {
  sts.on(GetCallerIdentityCommand).resolves({ UserId: "AIDAE2ETESTUSER00001", Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/logship-e2e` });
}
