import * as ec2 from "@pulumi/aws/ec2";
import { SecurityGroupEgressRule, SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { ChildOptions, childOptionsOf } from "../aliases";
import { awsApisEgress, HostEgressRule, hostEgressKey } from "../config/hostEgress";

export interface PortRange {
    readonly from: number;
    readonly to: number;
}

export interface NetworkArgs {
    /** AZs whose default subnets the hosts and the ALB use. */
    readonly availabilityZones: readonly string[];
    /** Ports the ALB listens on, open to the internet. */
    readonly listenerPorts: readonly number[];
    /** Host ports ECS hands out to bridge-mode tasks: the only ports the hosts accept, from the ALB only. */
    readonly hostPorts: PortRange;
    /** Outbound rules of the hosts besides HTTPS to AWS's endpoints, each with a distinct hostEgressKey (config checks it). */
    readonly hostEgress: readonly HostEgressRule[];
    /** Some service is on Service Connect: the hosts then accept each other's tasks on the dynamic host ports. */
    readonly serviceConnect: boolean;
}

/** One rule of a security group: its own resource, so that it can be added or removed without touching the others. */
export type SecurityGroupRule = SecurityGroupIngressRule | SecurityGroupEgressRule;

/**
 * The default VPC, its default subnet in each AZ, and the two security groups of the path
 * internet -> ALB (listener ports) -> hosts (dynamic host ports) -> AWS APIs (HTTPS). Descriptions keep
 * to the characters EC2 accepts (a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$*).
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    /** One per AZ, in the order of `availabilityZones`. */
    public readonly subnetIds: pulumi.Output<string>[];
    public readonly albSecurityGroup: ec2.SecurityGroup;
    public readonly hostSecurityGroup: ec2.SecurityGroup;
    /**
     * The rules of the hosts' group: what the hosts and their tasks use. The ASG and the ECS services depend on them,
     * so that `pulumi destroy` deletes the rules only after the hosts and the services draining on them are gone.
     */
    public readonly hostRules: readonly SecurityGroupRule[];
    /** The rules of the ALB's group: what a web service's traffic and health checks use; its ECS service depends on them. */
    public readonly albRules: readonly SecurityGroupRule[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs-on-ec2:index:Network", name, {}, opts);
        const child = childOptionsOf(this, name);
        const vpc = ec2.getVpcOutput({ default: true }, { parent: this });
        this.vpcId = vpc.id;
        this.subnetIds = args.availabilityZones.map((availabilityZone) =>
            ec2.getSubnetOutput({ vpcId: vpc.id, availabilityZone, defaultForAz: true }, { parent: this }).id);

        this.albSecurityGroup = new ec2.SecurityGroup("alb-security-group", {
            vpcId: vpc.id,
            description: "ALB: listener ports from the internet, out to the ECS hosts dynamic ports only",
        }, child("alb-security-group"));
        this.hostSecurityGroup = new ec2.SecurityGroup("host-security-group", {
            vpcId: vpc.id,
            description: "ECS hosts: dynamic host ports from the ALB only, HTTPS out to AWS APIs",
        }, child("host-security-group"));

        const hostRules: SecurityGroupRule[] = [];
        const albRules: SecurityGroupRule[] = [];
        this.hostRules = hostRules;
        this.albRules = albRules;
        for (const port of args.listenerPorts) {
            albRules.push(new SecurityGroupIngressRule(`alb-from-internet-${port}`, {
                securityGroupId: this.albSecurityGroup.id,
                description: `Listener on port ${port}, open to the internet`,
                ipProtocol: "tcp", fromPort: port, toPort: port,
                cidrIpv4: "0.0.0.0/0",
            }, child(`alb-from-internet-${port}`)));
        }
        const albToHosts = this.allowTcp("alb-to-hosts", this.albSecurityGroup, this.hostSecurityGroup, args.hostPorts,
            "ALB to the tasks dynamic host ports (traffic and health checks)", child);
        albRules.push(albToHosts.egress);
        hostRules.push(albToHosts.ingress);
        hostRules.push(this.allowHostEgress("hosts-to-aws-apis", awsApisEgress, child("hosts-to-aws-apis")));
        if (args.serviceConnect) {
            // A client task's Service Connect proxy connects to the server task's proxy, which in bridge mode listens on
            // a dynamic host port of its host, another host or the same: the hosts' group admits itself on that range,
            // and nothing wider. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect.html
            // New resources, so no alias to a home they never had.
            const hostsToHosts = this.allowTcp("hosts-to-hosts", this.hostSecurityGroup, this.hostSecurityGroup, args.hostPorts,
                "Service Connect between the tasks of the hosts, on their dynamic host ports", () => ({ parent: this }));
            hostRules.push(hostsToHosts.egress, hostsToHosts.ingress);
        }
        // Named by what each rule opens, not by its place in the list: reordering or removing another rule leaves
        // it alone, and a new description updates it in place (ModifySecurityGroupRules) instead of replacing it.
        // New resources, so no alias to a home they never had.
        for (const rule of args.hostEgress) {
            hostRules.push(this.allowHostEgress(`host-egress-${hostEgressKey(rule)}`, rule, { parent: this }));
        }
        this.registerOutputs({ vpcId: this.vpcId });
    }

    /** One outbound rule of the hosts' security group. */
    private allowHostEgress(name: string, rule: HostEgressRule, opts: pulumi.CustomResourceOptions): SecurityGroupEgressRule {
        return new SecurityGroupEgressRule(name, {
            securityGroupId: this.hostSecurityGroup.id,
            description: rule.description,
            ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort,
            ...rule.destination,
        }, opts);
    }

    /** One connection, both ends: egress on the source group and ingress on the destination, on the same ports. */
    private allowTcp(name: string, from: ec2.SecurityGroup, to: ec2.SecurityGroup, ports: PortRange,
        description: string, child: ChildOptions): { egress: SecurityGroupEgressRule; ingress: SecurityGroupIngressRule } {
        const portRange = { ipProtocol: "tcp", fromPort: ports.from, toPort: ports.to, description };
        const egress = new SecurityGroupEgressRule(`${name}-egress`, {
            ...portRange, securityGroupId: from.id, referencedSecurityGroupId: to.id,
        }, child(`${name}-egress`));
        const ingress = new SecurityGroupIngressRule(`${name}-ingress`, {
            ...portRange, securityGroupId: to.id, referencedSecurityGroupId: from.id,
        }, child(`${name}-ingress`));
        return { egress, ingress };
    }
}
