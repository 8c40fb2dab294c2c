// Puts test/helpers/ecs-express-fake.ts behind the ECS client's mock: each call the deploy, destroy,
// status and doctor paths make is answered from the fake's state.
import {
  CreateExpressGatewayServiceCommand, DeleteExpressGatewayServiceCommand, DescribeExpressGatewayServiceCommand,
  DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand, TagResourceCommand,
  UpdateExpressGatewayServiceCommand, type ECSClient,
} from "@aws-sdk/client-ecs";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { awsError, type ExpressFake } from "./ecs-express-fake.js";

/** Answers every Express call the deploy, destroy and status paths make from `fake`. Clusters other than these do not exist. */
export function wireExpress(ecs: AwsClientStub<ECSClient>, fake: ExpressFake, clusters = ["default"]) {
  const cluster = (c: string | undefined) => {
    if (!clusters.includes(c ?? "default")) throw awsError("ClusterNotFoundException", "Cluster not found.");
  };
  ecs.on(DescribeServicesCommand).callsFake((i) => (cluster(i.cluster), fake.describeServices(i.services?.[0] ?? "")));
  ecs.on(DescribeExpressGatewayServiceCommand).callsFake((i) => fake.describe(i.serviceArn, i.include));
  ecs.on(CreateExpressGatewayServiceCommand).callsFake((i) => (cluster(i.cluster), fake.create(i)));
  ecs.on(UpdateExpressGatewayServiceCommand).callsFake((i) => fake.update(i));
  ecs.on(DeleteExpressGatewayServiceCommand).callsFake((i) => fake.delete(i.serviceArn));
  ecs.on(ListServiceDeploymentsCommand).callsFake((i) => (cluster(i.cluster), fake.list(i)));
  ecs.on(DescribeServiceDeploymentsCommand).callsFake((i) => fake.describeDeployments(i.serviceDeploymentArns ?? []));
  ecs.on(TagResourceCommand).callsFake((i) => fake.tag(i.tags ?? []));
}
