// The fake AWS's strictness: for each resource type and invoke the stack uses, the inputs AWS (or the
// provider in front of it) would refuse. Each rule cites the reference it comes from, next to it.
import { autoNameViolations, nameProperty } from "./autoName";
import * as autoscaling from "./autoscaling";
import { Context, Inputs, TypeRules, Violation, checkSpec } from "./check";
import * as cloudwatch from "./cloudwatch";
import * as dns from "./dns";
import * as docker from "./docker";
import * as ec2 from "./ec2";
import * as ecr from "./ecr";
import * as ecs from "./ecs";
import * as elb from "./elb";
import * as iam from "./iam";
import * as s3 from "./s3";
import * as scheduler from "./scheduler";
import * as servicediscovery from "./servicediscovery";
import * as sns from "./sns";
import * as sqs from "./sqs";
import * as wafv2 from "./wafv2";

export type { Check, Spec, TypeRules, Violation } from "./check";
export { autoName, nameProperty, physicalName, randomSuffix } from "./autoName";

/**
 * Checks one resource's inputs as the Pulumi program sends them (Pulumi/TF property names, camelCase; nested objects;
 * JSON-string documents such as containerDefinitions or policies arrive as strings; numbers may arrive as numbers).
 * `physicalName` is the physical name AWS would get (its name input as the program set it, else Pulumi's auto-name).
 */
export type ResourceRules = (inputs: Record<string, unknown>, context: { logicalName: string; physicalName?: string }) => Violation[];
export type InvokeRules = (inputs: Record<string, unknown>) => Violation[];

/** Each resource type's rules; `fields` lists every property the fake checks on its own (the name as AWS gets it). */
export const resourceTypeRules: Readonly<Record<string, TypeRules>> = {
    "aws:ecr/repository:Repository": ecr.repository,
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": ecr.lifecyclePolicy,
    "docker:index/image:Image": docker.image,
    "aws:ec2/securityGroup:SecurityGroup": ec2.securityGroup,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2.securityGroupRule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2.securityGroupEgressRule,
    "aws:cloudwatch/logGroup:LogGroup": cloudwatch.logGroup,
    "aws:ecs/cluster:Cluster": ecs.cluster,
    "aws:ecs/capacityProvider:CapacityProvider": ecs.capacityProvider,
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": ecs.clusterCapacityProviders,
    "aws:ecs/taskDefinition:TaskDefinition": ecs.taskDefinition,
    "aws:ecs/service:Service": ecs.service,
    "aws:iam/role:Role": iam.role,
    "aws:iam/rolePolicy:RolePolicy": iam.rolePolicy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": iam.rolePolicyAttachment,
    "aws:iam/instanceProfile:InstanceProfile": iam.instanceProfile,
    "aws:ec2/launchTemplate:LaunchTemplate": ec2.launchTemplate,
    "aws:autoscaling/group:Group": autoscaling.group,
    "aws:lb/loadBalancer:LoadBalancer": elb.loadBalancer,
    "aws:lb/targetGroup:TargetGroup": elb.targetGroup,
    "aws:lb/listener:Listener": elb.listener,
    "aws:lb/listenerRule:ListenerRule": elb.listenerRule,
    "aws:s3/bucket:Bucket": s3.bucket,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3.publicAccessBlock,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3.ownershipControls,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3.serverSideEncryption,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3.lifecycleConfiguration,
    "aws:s3/bucketPolicy:BucketPolicy": s3.bucketPolicy,
    "aws:acm/certificate:Certificate": dns.certificate,
    "aws:acm/certificateValidation:CertificateValidation": dns.certificateValidation,
    "aws:route53/record:Record": dns.record,
    "aws:appautoscaling/target:Target": autoscaling.scalableTarget,
    "aws:appautoscaling/policy:Policy": autoscaling.scalingPolicy,
    "aws:cloudwatch/metricAlarm:MetricAlarm": cloudwatch.metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": cloudwatch.dashboard,
    "aws:sns/topic:Topic": sns.topic,
    "aws:sns/topicSubscription:TopicSubscription": sns.topicSubscription,
    "aws:wafv2/webAcl:WebAcl": wafv2.webAcl,
    "aws:wafv2/webAclAssociation:WebAclAssociation": wafv2.webAclAssociation,
    "aws:servicediscovery/httpNamespace:HttpNamespace": servicediscovery.httpNamespace,
    "aws:scheduler/schedule:Schedule": scheduler.schedule,
    "aws:sqs/queue:Queue": sqs.queue,
};

/** The inputs with the physical name in the type's name property, where the program left it to Pulumi. */
function named(type: string, inputs: Inputs, context: Context): Inputs {
    const property = nameProperty(type);
    return inputs[property] !== undefined || context.physicalName === undefined ? inputs : { ...inputs, [property]: context.physicalName };
}

function run(rules: TypeRules, inputs: Inputs, context: Context): Violation[] {
    return [...checkSpec(inputs, rules.fields), ...(rules.relations?.(inputs, context) ?? [])];
}

// Every type's rules also get Pulumi's refusal of an over-long auto-name.
export const resourceRules: Readonly<Record<string, ResourceRules>> = Object.fromEntries(
    Object.entries(resourceTypeRules).map(([type, rules]) => [type, (inputs: Inputs, context: Context) => [
        ...autoNameViolations(type, inputs, context.physicalName),
        ...run(rules, named(type, inputs, context), context),
    ]]),
);

/** Each invoke's rules. */
export const invokeTypeRules: Readonly<Record<string, TypeRules>> = {
    "aws:ec2/getVpc:getVpc": ec2.getVpc,
    "aws:ec2/getSubnet:getSubnet": ec2.getSubnet,
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": ecr.getAuthorizationToken,
    "docker:index/getRegistryImage:getRegistryImage": docker.getRegistryImage,
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html (takes no parameters)
    "aws:index/getCallerIdentity:getCallerIdentity": { fields: {} },
    "aws:elb/getServiceAccount:getServiceAccount": elb.getServiceAccount,
    "aws:index/getAvailabilityZones:getAvailabilityZones": ec2.getAvailabilityZones,
    "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": ec2.getInstanceTypeOfferings,
};

export const invokeRules: Readonly<Record<string, InvokeRules>> = Object.fromEntries(
    Object.entries(invokeTypeRules).map(([token, rules]) => [token, (inputs: Inputs) => run(rules, inputs, { logicalName: token })]),
);
