/** The HCL parser lives in core/lib so that ACL rules can be parsed in the pure core too. */
export * from '../../core/lib/hcl.ts';
