import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
var s="pipeline-toolkit",n=class extends Error{status;reason;constructor(t,r,i){super(i),this.name="KubeError",this.status=t,this.reason=r}},a=e=>e instanceof n&&e.status===409;export{s as a,n as b,a as c};
