import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
var s="pipeline-toolkit",t=class extends Error{status;reason;constructor(n,r,i){super(i),this.name="KubeError",this.status=n,this.reason=r}},a=e=>e instanceof t&&e.status===409;export{s as a,t as b,a as c};
