import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
var i="pipeline-toolkit",s=class extends Error{status;reason;constructor(n,r,t){super(t),this.name="KubeError",this.status=n,this.reason=r}},a=e=>e instanceof s&&e.status===409;export{i as a,s as b,a as c};
