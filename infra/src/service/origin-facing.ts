import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** AWS-managed list of the addresses CloudFront uses to reach origins (IPv4). */
export const originFacingPrefixListName = 'com.amazonaws.global.cloudfront.origin-facing';

export interface CloudFrontOriginFacingProps {
  /** The list's id in this region when known (`aws ec2 describe-managed-prefix-lists`). */
  readonly prefixListId?: string;
}

/**
 * Resolves the id of CloudFront's origin-facing prefix list. Ids differ per region and `cdk synth`
 * must stay offline (no context lookups), so without a given id a custom resource reads it at
 * deploy time with ec2:DescribeManagedPrefixLists.
 */
export class CloudFrontOriginFacing extends Construct {
  readonly prefixListId: string;
  readonly lookup?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: CloudFrontOriginFacingProps = {}) {
    super(scope, id);
    if (props.prefixListId) {
      this.prefixListId = props.prefixListId;
      return;
    }
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: { Filters: [{ Name: 'prefix-list-name', Values: [originFacingPrefixListName] }] },
      physicalResourceId: cr.PhysicalResourceId.of(originFacingPrefixListName),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    this.lookup = new cr.AwsCustomResource(this, 'Lookup', {
      onCreate: call,
      onUpdate: call,
      // DescribeManagedPrefixLists has no resource-level permissions.
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    this.prefixListId = this.lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}
