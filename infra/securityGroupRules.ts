import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Allows TCP on `ports` from one security group to another: egress on the source, ingress on the destination. */
export function allowTcp(
    name: string,
    from: aws.ec2.SecurityGroup,
    to: aws.ec2.SecurityGroup,
    ports: { from: number; to: number },
    description: string,
    parent: pulumi.Resource,
): void {
    const portRange = { ipProtocol: "tcp", fromPort: ports.from, toPort: ports.to, description };
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress`, {
        ...portRange, securityGroupId: from.id, referencedSecurityGroupId: to.id,
    }, { parent });
    new aws.vpc.SecurityGroupIngressRule(`${name}-ingress`, {
        ...portRange, securityGroupId: to.id, referencedSecurityGroupId: from.id,
    }, { parent });
}
