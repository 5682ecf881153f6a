"""ELBv2: a load balancer the local stack can reach.

* ELBv2: a load balancer tagged tollgate-local:dns-name reports that name as its DNSName, so a
  smoke test reaches a local test listener on 127.0.0.1 (moto's invented names resolve nowhere).
"""

# A load balancer tagged tollgate-local:dns-name reports that name as its DNSName: the local stack's test listeners
# listen on 127.0.0.1, where a smoke test can reach them (moto's names, <name>-1.<region>.elb.amazonaws.com, resolve
# nowhere).
DNS_NAME_TAG = "tollgate-local:dns-name"


def resolve_load_balancers_locally():
    from moto.elbv2.models import ELBv2Backend

    original_add_tags = ELBv2Backend.add_tags

    def add_tags(self, resource_arns, tags):
        original_add_tags(self, resource_arns, tags)
        for tag in tags:
            if tag.get("Key") == DNS_NAME_TAG:
                for arn in resource_arns:
                    if arn in self.load_balancers:
                        self.load_balancers[arn].dns_name = tag.get("Value")

    ELBv2Backend.add_tags = add_tags


def install():
    """Applies the tollgate-local:dns-name tag."""
    resolve_load_balancers_locally()
