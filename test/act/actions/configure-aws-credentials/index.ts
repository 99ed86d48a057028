/** AWS is not reachable offline: this step must be skipped (the act test deploys with KUBE_CONFIG). */
console.log('::error title=configure-aws-credentials (offline stand-in)::AWS cannot be reached offline; use the KUBE_CONFIG secret.');
process.exit(1);
