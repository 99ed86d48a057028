import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import"./chunks/chunk-RUOKFGRG.js";var p=class extends Error{input;constructor(e,r){super(r),this.name="InputError",this.input=e}},O=class extends Error{constructor(e){super(e),this.name="GateError"}},R=class extends Error{constructor(e,r){super(e,r),this.name="ExternalError"}};function C(t){return t instanceof Error?t.message:String(t)}var pt={ms:1,s:1e3,m:6e4,h:36e5},mt=/^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/,gt=/(\d+(?:\.\d+)?)(ms|s|m|h)/g;function X(t){let e=t.trim();if(/^\d+(?:\.\d+)?$/.test(e))return Math.round(Number(e)*1e3);if(!mt.test(e))return;let r=0;for(let[,s,n]of e.matchAll(gt))r+=Number(s)*pt[n];return Math.round(r)}var Fe=t=>process.env[`INPUT_${t.replace(/ /g,"_").toUpperCase()}`];var ft=["true","True","TRUE"],ht=["false","False","FALSE"],M=class{#e;#t;constructor(e=Fe,r=s=>`Input '${s}'`){this.#e=e,this.#t=r}label(e){return this.#t(e)}raw(e){let r=this.#e(e)?.trim();return r||void 0}string(e,r={}){let s=this.raw(e)??r.default;if(s===void 0&&r.required)throw new p(e,`${this.#t(e)} is required.`);return s}boolean(e,r){let s=this.raw(e);if(s===void 0)return r;if(ft.includes(s))return!0;if(ht.includes(s))return!1;throw new p(e,`${this.#t(e)} must be a boolean (true or false), got '${s}'.`)}integer(e,r={}){let s=this.raw(e);if(s===void 0){if(r.required)throw new p(e,`${this.#t(e)} is required.`);return r.default}let n=`${r.min??"-\u221E"}..${r.max??"\u221E"}`;if(!/^-?\d+$/.test(s))throw new p(e,`${this.#t(e)} must be a whole number in ${n}, got '${s}'.`);let i=Number(s);if(r.min!==void 0&&i<r.min||r.max!==void 0&&i>r.max)throw new p(e,`${this.#t(e)} must be a whole number in ${n}, got ${i}.`);return i}enum(e,r,s={}){let n=this.raw(e);if(n===void 0){if(s.required)throw new p(e,`${this.#t(e)} is required: one of ${r.join(", ")}.`);return s.default}let i=r.find(o=>o===n)??r.find(o=>o.toLowerCase()===n.toLowerCase());if(!i)throw new p(e,`${this.#t(e)} must be one of ${r.join(", ")}, got '${n}'.`);return i}duration(e,r={}){let s=this.raw(e)??r.default;if(s===void 0){if(r.required)throw new p(e,`${this.#t(e)} is required: a duration such as 90s or 5m.`);return}let n=X(s);if(n===void 0)throw new p(e,`${this.#t(e)} must be a duration such as 500ms, 90s, 5m or 1m30s, got '${s}'.`);let i=r.max===void 0?void 0:X(r.max);if(i!==void 0&&n>i)throw new p(e,`${this.#t(e)} must be at most ${r.max}, got '${s}'.`);return n}list(e,r={}){let s=this.raw(e);if(s===void 0){if(r.required)throw new p(e,`${this.#t(e)} is required: one item per line.`);return[]}return s.split(/\r?\n/).filter(n=>!n.trim().startsWith("#")).flatMap(n=>n.split(r.separator??/,/)).map(n=>n.trim()).filter(Boolean)}enumList(e,r){let s=this.list(e),n=s.filter(i=>!r.some(o=>o.toLowerCase()===i.toLowerCase()));if(n.length)throw new p(e,`${this.#t(e)} must list items from ${r.join(", ")}; unknown: ${n.join(", ")}.`);return s.map(i=>r.find(o=>o.toLowerCase()===i.toLowerCase()))}async document(e,r={}){let s=this.raw(e);if(s===void 0){if(r.required)throw new p(e,`${this.#t(e)} is required: a JSON or YAML document.`);return}try{return JSON.parse(s)}catch{let n=await import("./chunks/dist-GLQ2CTTO.js"),{parse:i}=n.default??n;try{return i(s)}catch(o){let a=o instanceof Error?o.message.split(`
`)[0]:String(o);throw new p(e,`${this.#t(e)} must be JSON or YAML: ${a}`)}}}};var yt={title:"title",file:"file",line:"line",endLine:"endLine",col:"col",endColumn:"endColumn"};function he(t){return t.replace(/%/g,"%25").replace(/\r/g,"%0D").replace(/\n/g,"%0A")}function ze(t){return he(t).replace(/:/g,"%3A").replace(/,/g,"%2C")}function ee(t,e,r={}){let s=Object.entries(r).filter(([,n])=>n!==void 0&&n!=="").map(([n,i])=>`${yt[n]??n}=${ze(String(i))}`).join(",");return`::${t}${s?` ${s}`:""}::${he(e)}`}var bt=[/https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g,/\bxox[abposr]-[A-Za-z0-9-]{10,}/g,/\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g,/\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g,/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,/(?<=aws_secret_access_key\s*[=:]\s*["']?)[A-Za-z0-9/+=]{40}/gi,/\bk8s-aws-v1\.[A-Za-z0-9_-]{20,}/g,/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,/(?<=\b(?:authorization|proxy-authorization)\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"',;]+/gi],xt=/(?<=\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi,wt=/(?<=[?&](?:token|access_token|api_key|apikey|key|sig|signature|password|secret|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=)[^&\s#"']+/gi,G=class{#e=new Set;add(e){if(!e)return;let r=e.trim();if(!(r.length<4)){this.#e.add(r);for(let s of r.split(/\r?\n/))s.trim().length>=4&&this.#e.add(s.trim())}}get secrets(){return[...this.#e]}redact(e){let r=e;for(let s of[...this.#e].sort((n,i)=>i.length-n.length))r=r.split(s).join("***");return ye(r)}};function ye(t){let e=t;for(let r of bt)e=e.replace(r,"***");return e.replace(xt,"***@").replace(wt,"***")}function be(t){return ye(t)!==t}var $t=t=>process.stdout.write(`${t}
`),H=class{redactor;#e;#t;constructor(e={}){this.#e=e.write??$t,this.redactor=e.redactor??new G,this.#t=e.debug??process.env.RUNNER_DEBUG==="1"}get isDebug(){return this.#t}#r(e,r,s){this.#e(ee(e,this.redactor.redact(r),s))}debug(e){this.#r("debug",e)}info(e){this.#e(this.redactor.redact(e))}notice(e,r){this.#r("notice",e,r)}warning(e,r){this.#r("warning",e,r)}error(e,r){this.#r("error",e,r)}async group(e,r){this.#r("group",e);try{return await r()}finally{this.#e("::endgroup::")}}setSecret(e){if(e){for(let r of e.split(/\r?\n/))r.trim()&&this.#e(ee("add-mask",r.trim()));this.redactor.add(e)}}};var We;function j(){return We??=import("./chunks/core-2MCXFYV6.js"),We}function Ye(t){return typeof t=="string"?t:t==null?"":JSON.stringify(t)}var F=class{#e;constructor(e){this.#e=e}async set(e){let r=await j();for(let[s,n]of Object.entries(e))r.setOutput(s,this.#e.redact(Ye(n)))}};var z=class{get(e){let r=process.env[`STATE_${e}`];if(r)return JSON.parse(r)}async save(e,r){(await j()).saveState(e,JSON.stringify(r))}};function x(t){return t.replace(/[\\`*_{}[\]<>|]/g,e=>`\\${e}`).replace(/\r?\n/g," ")}function Rt(t){return typeof t=="object"?t.markdown.replace(/\|/g,"\\|").replace(/\r?\n/g," "):x(String(t))}function Y(t,e){return`${[`| ${t.map(s=>x(s)).join(" | ")} |`,`| ${t.map(()=>"---").join(" | ")} |`,...e.map(s=>`| ${s.map(Rt).join(" | ")} |`)].join(`
`)}
`}function te(t,e){return{markdown:`[${x(t)}](${e.replace(/[()\s]/g,r=>`%${r.charCodeAt(0).toString(16).toUpperCase().padStart(2,"0")}`)})`}}var W=class{#e;constructor(e){this.#e=e}async write(e){if(!process.env.GITHUB_STEP_SUMMARY)return;await(await j()).summary.addRaw(this.#e.redact(e),!0).write()}};function Ke(){let t=new H;return{inputs:new M,log:t,outputs:new F(t.redactor),state:new z,summary:new W(t.redactor),env:process.env}}async function xe(t,e=Ke()){try{return await t(e),0}catch(r){return e.log.error(C(r)),r instanceof Error&&r.stack&&!(r instanceof p)&&e.log.debug(r.stack),process.exitCode=1,1}}var T=["en","pt-BR"],re=["proposed","accepted","rejected","deprecated","superseded"],Ze=["context","decision","consequences"],h={en:{status:{proposed:"proposed",accepted:"accepted",rejected:"rejected",deprecated:"deprecated",superseded:"superseded"},section:{context:"Context",decision:"Decision",alternatives:"Alternatives",consequences:"Consequences"},label:{status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"},currentState:"Current state",indexHeading:"ADR index",index:{adr:"ADR",title:"Title",status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"}},"pt-BR":{status:{proposed:"Proposto",accepted:"Aceito",rejected:"Rejeitado",deprecated:"Obsoleto",superseded:"Substitu\xEDdo"},section:{context:"Contexto",decision:"Decis\xE3o",alternatives:"Alternativas",consequences:"Consequ\xEAncias"},label:{status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"},currentState:"Estado Atual",indexHeading:"\xCDndice de ADRs",index:{adr:"ADR",title:"T\xEDtulo",status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"}}};function b(t){return t.normalize("NFKD").replace(new RegExp("\\p{Diacritic}","gu"),"").toLowerCase().trim()}var At=new Map([...re.flatMap(t=>T.map(e=>[b(h[e].status[t]),t])),["aceita","accepted"],["proposta","proposed"],["rejeitada","rejected"],["obsoleta","deprecated"],["substituida","superseded"],["depreciado","deprecated"]]);function we(t){let e=b(t).replace(/[*_`]/g,"").split(/[\s:,.(—–-]+/).find(Boolean);return e===void 0?void 0:At.get(e)}var St=new Map([...["context","decision","alternatives","consequences"].flatMap(t=>T.map(e=>[b(h[e].section[t]),t])),["considered options","alternatives"],["options considered","alternatives"],["alternatives considered","alternatives"],["alternativas consideradas","alternatives"],["opcoes consideradas","alternatives"],["decision outcome","decision"],["context and problem statement","context"]]);function Je(t){return St.get(b(t).replace(/[:.]$/,""))}function $e(t){let e=0,r=0;for(let s of t)for(let n of s.split(`
`)){if(!/^#{1,3}\s|^\s*[-*]?\s*\**(status|data|date)\**\s*:/i.test(n))continue;let i=b(n);/\b(contexto|decisao|consequencias|estado atual|data|alternativas|registro de decisoes|progresso)\b/.test(i)?e++:/\b(context|decision|consequences|current state|date|alternatives|decision log|progress)\b/.test(i)&&r++}return e>r?"pt-BR":"en"}var I=/^ADR-(\d{1,5})(?:-([^/]+))?\.md$/i;function Ae(t){return String(t).padStart(3,"0")}function f(t){return`ADR-${Ae(t)}`}function D(t){return[...t.matchAll(/\bADR[-\s]?(\d{1,5})\b/gi)].map(e=>Number(e[1]))}function Re(t){let e=b(t).replace(/[*_]/g,"").trim();if(["status","estado","situacao"].includes(e))return"status";if(["date","data","decision date","data da decisao"].includes(e))return"date";if(["supersedes","substitui","replaces"].includes(e))return"supersedes";if(["superseded by","substituido por","replaced by"].includes(e))return"supersededBy"}var kt=/^(\s*(?:[-*]\s+)?\**([\p{L} ]{2,30}?)\**\s*:\s*\**\s*)(.*?)(\s*\**\s*)$/u,Et=/^(?:ADR[-\s]?\d+|\d+\.)\s*(?:[:.–—-]\s*)?/i;function ne(t,e){let r=I.exec(t);if(!r)throw new Error(`${t} is not an ADR file name (expected ADR-NNN-<slug>.md or ADR-NNN.md)`);let s=e.split(`
`),n={file:t,number:Number(r[1]),...r[2]?{slug:r[2]}:{},title:"",supersedes:[],supersededBy:[],sections:new Map,meta:{},titleLine:1,bodyStart:0,text:e},i=(c,g,m,y,$="")=>{n.meta[c]||(n.meta[c]={index:g,prefix:m,value:y,suffix:$})},o=0;if(s[0]?.trim()==="---"){for(o=1;o<s.length&&s[o]?.trim()!=="---";o++){let c=/^(\s*([\w ]+?)\s*:\s*(["']?))(.*?)(\3\s*)$/.exec(s[o]??""),g=c&&Re(c[2]??"");c&&g&&i(g,o,c[1]??"",c[4]??"",c[5]??"")}o++,n.bodyStart=o}let a=!0,l;for(;o<s.length;o++){let c=s[o]??"",g=/^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(c);if(g){let $=g[1]?.length??0,P=g[2]??"";if($===1&&!n.title){n.title=P.replace(Et,"").trim()||P.trim(),n.titleLine=o+1;continue}a=!1,l=Re(P);let S=Je(P);S&&!n.sections.has(S)&&n.sections.set(S,o+1);continue}if(!c.trim())continue;let m=kt.exec(c),y=m&&Re(m[2]??"");if(m&&y&&(a||l)){i(y,o,m[1]??"",m[3]??"",m[4]??"");continue}l&&!n.meta[l]&&i(l,o,c.match(/^\s*/)?.[0]??"",c.trim())}let u=n.meta.status;if(u){n.statusText=u.value.replace(/[*_`]/g,"").trim();let c=we(u.value);c&&(n.status=c),c==="superseded"&&n.supersededBy.push(...D(u.value))}let d=n.meta.date?.value.match(/\d{4}-\d{2}-\d{2}/)?.[0]??n.meta.date?.value;return d&&(n.date=d),n.meta.supersedes&&n.supersedes.push(...D(n.meta.supersedes.value)),n.meta.supersededBy&&n.supersededBy.push(...D(n.meta.supersededBy.value)),n.supersedes=Qe(n.supersedes),n.supersededBy=Qe(n.supersededBy),n.title||(n.title=f(n.number)),n}function Qe(t){return[...new Set(t)].sort((e,r)=>e-r)}import{existsSync as nr}from"node:fs";import J from"node:path";import{existsSync as Pt}from"node:fs";import{mkdir as wn,readdir as Ct,readFile as Tt,writeFile as $n}from"node:fs/promises";import Lt from"node:path";function Xe(t){return{start:new RegExp(`<!--\\s*${t}:start\\b[^>]*-->`),end:new RegExp(`<!--\\s*${t}:end\\s*-->`)}}function se(t){return{start:`<!-- ${t}:start -->`,end:`<!-- ${t}:end -->`}}function E(t,e){let{start:r,end:s}=Xe(e),n=r.exec(t);if(!n)return;let i=n.index+n[0].length,o=s.exec(t.slice(i));return o?{content:t.slice(i,i+o.index).replace(/^\r?\n/,"").replace(/\r?\n$/,""),line:t.slice(0,n.index).split(`
`).length}:void 0}function vt(t,e,r){let{start:s,end:n}=Xe(e),i=s.exec(t);if(!i)return;let o=i.index+i[0].length,a=n.exec(t.slice(o));if(a)return`${t.slice(0,o)}
${r}
${t.slice(o+a.index)}`}function ie(t,e,r,s){let n=vt(t,e,r);if(n!==void 0)return n;let{start:i,end:o}=se(e),a=t.trimEnd();return`${a}${a?`

`:""}## ${s}

${i}
${r}
${o}
`}var oe=["activeContext.md","decisionLog.md","productContext.md","progress.md","systemPatterns.md"];function _(t,e){let{start:r,end:s}=se(t);return`${r}
${e}
${s}`}function v(t,e){let r=h[t];return t==="pt-BR"?{"activeContext.md":`# Contexto Ativo

Como o sistema est\xE1 agora: vers\xE3o em produ\xE7\xE3o, o que est\xE1 em andamento, o que vem a seguir.
O bloco "${r.currentState}" \xE9 reescrito pelo CI a cada deploy (a\xE7\xE3o \`memory-bank\`, \`record-deploy\`);
o restante \xE9 escrito pela equipe.

## ${r.currentState} [${e}]

- Vers\xE3o em produ\xE7\xE3o: \u2014
- \xDAltimo deploy: \u2014
- Pr\xF3ximo marco: \u2014

## Em andamento

- (trabalho atual, com links para issues e PRs)

## Quest\xF5es em aberto

- (d\xFAvidas que ainda bloqueiam decis\xF5es)
`,"decisionLog.md":`# Registro de Decis\xF5es

Decis\xF5es t\xE9cnicas registradas como ADRs (registros de decis\xE3o de arquitetura): contexto, alternativas
consideradas e consequ\xEAncias, um arquivo por decis\xE3o (\`ADR-NNN-<slug>.md\`).
Crie uma com \`pipeline-toolkit adr new "T\xEDtulo"\`. O \xEDndice abaixo \xE9 gerado por
\`pipeline-toolkit memory-bank index\`: edite os arquivos das ADRs, n\xE3o a tabela.

## ${r.indexHeading}

${_("adr-index","_Nenhuma decis\xE3o registrada ainda._")}
`,"productContext.md":`# Contexto do Produto

## Prop\xF3sito

- (que problema o produto resolve, e para quem)

## Usu\xE1rios e partes interessadas

- (quem usa, quem decide, quem precisa ser avisado)

## Requisitos n\xE3o funcionais

- Disponibilidade: (ex.: 99,9% mensal)
- Desempenho: (ex.: p95 < 300 ms)
- Seguran\xE7a e conformidade: (ex.: dados pessoais, LGPD)

## M\xE9tricas

- (como sabemos que o produto est\xE1 cumprindo o seu prop\xF3sito)
`,"progress.md":`# Progresso

Hist\xF3rico de marcos, atualiza\xE7\xF5es de status, deploys e PRs integrados.
Os blocos entre marcadores s\xE3o mantidos pelo CI (a\xE7\xE3o \`memory-bank\`); uma reexecu\xE7\xE3o n\xE3o duplica entradas.

## Marcos

- (marco \u2014 data \u2014 situa\xE7\xE3o)

## Deploys

${_("deploys","_Nenhum deploy registrado ainda._")}

## PRs integrados

${_("merged-prs","_Nenhum PR registrado ainda._")}
`,"systemPatterns.md":`# Padr\xF5es do Sistema

## Arquitetura

Diagramas C4 (contexto, cont\xEAineres) e os fluxos principais:

\`\`\`mermaid
flowchart LR
  usuario[Usu\xE1rio] --> app[Aplica\xE7\xE3o]
  app --> db[(Banco de dados)]
\`\`\`

## Padr\xF5es

- (padr\xE3o \u2014 onde \xE9 usado \u2014 por qu\xEA; ligue a ADR que o decidiu)

## Conven\xE7\xF5es de c\xF3digo

- (nomes, estrutura de pastas, testes, revis\xE3o)
`}:{"activeContext.md":`# Active Context

What the system looks like now: the version in production, the work in progress, what comes next.
The "${r.currentState}" block is rewritten by CI on every deploy (\`memory-bank\` action, \`record-deploy\`);
the rest is written by the team.

## ${r.currentState} [${e}]

- Version in production: \u2014
- Last deploy: \u2014
- Next milestone: \u2014

## Work in progress

- (current work, with links to issues and PRs)

## Open questions

- (questions that still block decisions)
`,"decisionLog.md":`# Decision Log

Technical decisions recorded as ADRs (architecture decision records): context, alternatives
considered and consequences, one file per decision (\`ADR-NNN-<slug>.md\`).
Create one with \`pipeline-toolkit adr new "Title"\`. The index below is generated by
\`pipeline-toolkit memory-bank index\`: edit the ADR files, not the table.

## ${r.indexHeading}

${_("adr-index","_No decisions recorded yet._")}
`,"productContext.md":`# Product Context

## Purpose

- (what problem the product solves, and for whom)

## Users and stakeholders

- (who uses it, who decides, who must be told)

## Non-functional requirements

- Availability: (e.g. 99.9% monthly)
- Performance: (e.g. p95 < 300 ms)
- Security and compliance: (e.g. personal data, GDPR)

## Metrics

- (how we know the product does what it is for)
`,"progress.md":`# Progress

History of milestones, status updates, deploys and merged pull requests.
The blocks between markers are maintained by CI (\`memory-bank\` action); a re-run never duplicates an entry.

## Milestones

- (milestone \u2014 date \u2014 status)

## Deploys

${_("deploys","_No deploys recorded yet._")}

## Merged pull requests

${_("merged-prs","_No pull requests recorded yet._")}
`,"systemPatterns.md":`# System Patterns

## Architecture

C4 diagrams (context, containers) and the main flows:

\`\`\`mermaid
flowchart LR
  user[User] --> app[Application]
  app --> db[(Database)]
\`\`\`

## Patterns

- (pattern \u2014 where it is used \u2014 why; link the ADR that decided it)

## Code conventions

- (naming, folder layout, tests, review)
`}}async function ae(t,e={}){if(!Pt(t))throw new p("dir",`Memory bank folder '${t}' does not exist. Create it with 'pipeline-toolkit memory-bank init'.`);let r=new Map;for(let i of(await Ct(t,{withFileTypes:!0})).sort((o,a)=>o.name.localeCompare(a.name)))i.isFile()&&i.name.toLowerCase().endsWith(".md")&&r.set(i.name,await Tt(Lt.join(t,i.name),"utf8"));let s=[...r].filter(([i])=>I.test(i)).map(([i,o])=>ne(i,o));s.sort((i,o)=>i.number-o.number||i.file.localeCompare(o.file));let n=e.language??$e([r.get("decisionLog.md")??"",r.get("activeContext.md")??"",...s.map(i=>i.text)]);return{dir:t,language:n,files:r,adrs:s}}function Se(t=new Date){return t.toISOString().slice(0,10)}var A=class extends R{status;constructor(e,r){super(r),this.name="GitHubError",this.status=e}};function w(t){return`/repos/${encodeURIComponent(t.owner)}/${encodeURIComponent(t.repo)}`}function L(t){return t.split("/").map(encodeURIComponent).join("/")}function ke(t,e="repository"){let r=/^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(t.trim());if(!r)throw new p(e,`'${t}' is not a repository: expected owner/name.`);return{owner:r[1],repo:r[2]}}async function K(t,e=process.env.GITHUB_API_URL||"https://api.github.com"){let{getOctokit:r}=await import("./chunks/github-OEKY5D5P.js"),s=r(t,{baseUrl:e}),n=async(i,o)=>{try{return await i()}catch(a){let l=a.status;if(typeof l!="number")throw new R(`GitHub API ${o} failed: ${a.message}`,{cause:a});let u=a.response?.data?.message??a.message;throw new A(l,`GitHub API ${o} answered ${l}: ${u}`)}};return{request:(i,o,a={})=>n(async()=>(await s.request(`${i} ${o}`,a)).data,`${i} ${o}`),paginate:(i,o={})=>n(async()=>await s.paginate(`GET ${i}`,{per_page:100,...o}),`GET ${i}`)}}import Dt from"node:path";import et from"node:path";function Nt(t,e){return t.flatMap(r=>{let s=et.posix.basename(r),n=I.exec(s);return n?[{number:Number(n[1]),file:s,source:e}]:[]})}function Bt(t){return t.replace(/^\.?\/+/,"").replace(/\/*$/,"")||"."}async function ue(t,e,r,s){let i=(await t.paginate(`${w(e)}/pulls/${s}/files`)).filter(o=>["added","renamed","copied"].includes(o.status)&&et.posix.dirname(o.filename)===Bt(r));return Nt(i.map(o=>o.filename),`pull request #${s}`)}async function Ee(t,e,r,s={}){let n=await t.paginate(`${w(e)}/pulls`,{state:"open"}),i=[];for(let o of n)o.number!==s.exclude&&i.push(...await ue(t,e,r,o.number));return i}function ve(t,e){let r=[];for(let s of t){let n=e.find(i=>i.number===s.number&&i.file!==s.file&&!t.some(o=>o.file===i.file));n&&r.push({local:s,other:n})}return r}function tt(t,e,r){let s=t.adrs.map(n=>({number:n.number,file:n.file,source:"local"}));return ve(s,r).map(({local:n,other:i})=>({file:Dt.posix.join(e,n.file),line:t.adrs.find(o=>o.file===n.file)?.titleLine??1,rule:"number",message:`${f(n.number)} is also taken by ${i.file} in ${i.source}; renumber one of them ('pipeline-toolkit adr renumber ${n.number} <free number>')`}))}async function Pe(t,e,r,s,n){let i=await ue(r,s,e,n);if(i.length===0)return[];let o=await Ee(r,s,e,{exclude:n}),a={...t,adrs:t.adrs.filter(l=>i.some(u=>u.file===l.file))};return tt(a,e,o)}import{existsSync as _t}from"node:fs";import it from"node:path";function It(t,e){return t.status?h[e].status[t.status]:t.statusText??"\u2014"}function rt(t,e){return t.length===0?"\u2014":{markdown:t.map(s=>{let n=e.find(i=>i.number===s);return n?te(f(s),n.file).markdown:f(s)}).join(", ")}}function Ce(t,e){let r=h[e].index;if(t.length===0)return e==="pt-BR"?"_Nenhuma decis\xE3o registrada ainda._":"_No decisions recorded yet._";let s=t.map(n=>[f(n.number),te(n.title,n.file),It(n,e),n.date??"\u2014",rt(n.supersedes,t),rt(n.supersededBy,t)]);return Y([r.adr,r.title,r.status,r.date,r.supersedes,r.supersededBy],s).trimEnd()}function de(t,e,r){return ie(t,"adr-index",Ce(e,r),h[r].indexHeading)}function Te(t,e,r){return E(t,"adr-index")?.content.trim()===Ce(e,r).trim()}var k=1024,Le={"activeContext.md":12*k,"productContext.md":24*k,"systemPatterns.md":48*k,"decisionLog.md":48*k,"progress.md":96*k,adr:24*k,other:48*k},nt={"activeContext.md":"keep only the current state here and move history to progress.md","progress.md":"move older entries to an archive file (e.g. progress-2025.md)",adr:"split the decision or move background material to systemPatterns.md"},Ut=/\b(?:password|passwd|senha|secret|api[_-]?key|access[_-]?key|token|client[_-]?secret)\b\s*[:=]\s*["']?([^\s"'`]{8,})/i,qt=/^(?:\*+|x+|<[^>]*>|\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]+\}?|(?:secrets|env|vars)\.\w+|changeme|example\S*|redacted|\.{3})$/i,Ot=/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+[.,;:]?$/;function Mt(t){if(be(t))return!0;let e=Ut.exec(t),r=e?.[1]??"";return!!(e&&!qt.test(r)&&!Ot.test(r))}function Gt(t,e){return t.slice(0,e).split(`
`).length}var st=T.map(t=>re.map(e=>h[t].status[e]).join("/")).join(" or "),Ht=t=>`'${h.en.section[t]}' (pt-BR '${h["pt-BR"].section[t]}')`;function Ne(t,e={}){let r={...Le,...e.budgets},s=[],n=u=>it.join(e.display??t.dir,u),i=(u,d,c,g)=>s.push({file:n(u),line:d,rule:c,message:g});for(let u of oe)t.files.has(u)||i(u,1,"missing-file",`${u} is missing; 'pipeline-toolkit memory-bank init' creates it without touching existing files`);for(let u of t.adrs)jt(t,u,i);let o=Map.groupBy(t.adrs,u=>u.number);for(let[u,d]of o)if(!(d.length<2))for(let c of d){let g=d.filter(m=>m!==c).map(m=>m.file);i(c.file,c.titleLine,"number",`${f(u)} is also used by ${g.join(", ")}; give one a free number with 'pipeline-toolkit adr renumber'`)}let a=t.files.get("decisionLog.md");if(a!==void 0){let u=E(a,"adr-index");u?Te(a,t.adrs,t.language)||i("decisionLog.md",u.line,"index","the ADR index is out of date; run 'pipeline-toolkit memory-bank index'"):i("decisionLog.md",1,"index","has no ADR index (<!-- adr-index:start --> \u2026 <!-- adr-index:end -->); run 'pipeline-toolkit memory-bank index'")}let l=t.files.get("progress.md");l!==void 0&&Kt(l,i);for(let[u,d]of t.files){Wt(t,u,d,i),d.split(`
`).forEach((y,$)=>{Mt(y)&&i(u,$+1,"secret","looks like a secret (token, key or password); remove it and rotate it if it was real")});let c=u in r?u:t.adrs.some(y=>y.file===u)?"adr":"other",g=r[c]??Le.other??0,m=Buffer.byteLength(d);if(m>g){let y=nt[c]?`: ${nt[c]}`:"";i(u,1,"size",`is ${(m/k).toFixed(1)} KB, over its ${(g/k).toFixed(0)} KB budget${y}`)}}return s.sort((u,d)=>u.file.localeCompare(d.file)||u.line-d.line)}function jt(t,e,r){let s=i=>(e.meta[i]?.index??e.titleLine-1)+1;/^#\s/m.test(e.text)||r(e.file,1,"title",`has no '# ${f(e.number)}: Title' heading`);let n=/^#\s+ADR[-\s]?(\d+)/im.exec(e.text);n&&Number(n[1])!==e.number&&r(e.file,e.titleLine,"title",`title says ADR ${Number(n[1])} but the file name says ${f(e.number)}`);for(let i of Ze)e.sections.has(i)||r(e.file,e.titleLine,"section",`missing section ${Ht(i)}`);e.meta.status?e.status||r(e.file,s("status"),"status",`status '${e.statusText}' is not one of ${st}`):r(e.file,e.titleLine,"status",`has no status line ('- Status: accepted'); statuses: ${st}`),e.meta.date?(!/^\d{4}-\d{2}-\d{2}$/.test(e.date??"")||Number.isNaN(Date.parse(e.date??"")))&&r(e.file,s("date"),"date",`date '${e.meta.date.value}' is not a date in YYYY-MM-DD form`):r(e.file,e.titleLine,"date","has no date line ('- Date: YYYY-MM-DD')");for(let i of e.supersedes){let o=t.adrs.find(a=>a.number===i);o?(!o.supersededBy.includes(e.number)||o.status!=="superseded")&&r(o.file,Ft(o),"supersede",`${e.file} supersedes it, but it is not marked 'superseded' by ${f(e.number)}; run 'pipeline-toolkit adr supersede' or add the line`):r(e.file,s("supersedes"),"supersede",`supersedes ${f(i)}, which does not exist`)}for(let i of e.supersededBy){let o=t.adrs.find(a=>a.number===i);o?o.supersedes.includes(e.number)||r(o.file,o.titleLine,"supersede",`${e.file} says it is superseded by ${f(i)}, but this ADR does not say it supersedes ${f(e.number)}`):r(e.file,s("status"),"supersede",`superseded by ${f(i)}, which does not exist`)}e.status==="superseded"&&e.supersededBy.length===0&&r(e.file,s("status"),"supersede","is superseded but does not name its successor ('Superseded by: ADR-NNN')")}function Ft(t){return(t.meta.supersededBy?.index??t.meta.status?.index??t.titleLine-1)+1}var zt=/(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;function Wt(t,e,r,s){let n=Yt(r);for(let i of r.matchAll(zt)){if(n.some(([u,d])=>i.index>=u&&i.index<d))continue;let o=i[1]??"";if(/^[a-z][a-z0-9+.-]*:/i.test(o)||o.startsWith("#"))continue;let a=decodeURIComponent(o.split("#")[0]??"");if(!a||_t(it.resolve(t.dir,a)))continue;let l=D(a).map(u=>t.adrs.find(d=>d.number===u)).find(Boolean);s(e,Gt(r,i.index),"link",`link target '${o}' does not exist${l?` (did you mean ${l.file}?)`:""}`)}}function Yt(t){let e=[],r=/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm;for(let s of t.matchAll(r))e.push([s.index,s.index+s[0].length]);return e}function Kt(t,e){let r=new Map;t.split(`
`).forEach((s,n)=>{let i=/<!--\s*key:\s*(\S+)\s*-->/.exec(s)?.[1];if(!i)return;let o=r.get(i);o===void 0?r.set(i,n+1):e("progress.md",n+1,"entry",`entry '${i}' is already on line ${o}; keep one of them`)})}var Be=["success","failure","cancelled","skipped"],ot={en:{success:"success",failure:"failure",cancelled:"cancelled",skipped:"skipped"},"pt-BR":{success:"sucesso",failure:"falha",cancelled:"cancelado",skipped:"ignorado"}};function N(t){let e=x(t.text);return t.url?`[${e}](${t.url})`:e}function ce(t,e){let r=[t.date,`**${x(t.environment)}**`,x(t.version)];return t.commit&&r.push(N(t.commit)),t.pullRequest&&r.push(N(t.pullRequest)),t.deployUrl&&r.push(N({text:"deploy",url:t.deployUrl})),r.push(ot[e][t.result]),t.runUrl&&r.push(N({text:e==="pt-BR"?"execu\xE7\xE3o":"run",url:t.runUrl})),{key:`deploy/${t.environment}/${t.runId}`,body:`- ${r.join(" \xB7 ")}`,date:t.date}}function le(t){let e=[t.date,N({text:`#${t.number} ${t.title}`,url:t.url})];return t.author&&e.push(`@${x(t.author)}`),t.commit&&e.push(N(t.commit)),{key:`pr/${t.number}`,body:`- ${e.join(" \xB7 ")}`,date:t.date}}var at=/<!--\s*key:\s*(\S+)\s*-->/;function De(t,e,r){let n=(t===void 0?void 0:E(t,e)?.content)?.split(`
`).find(i=>at.exec(i)?.[1]===r);return n?/^-\s+(\d{4}-\d{2}-\d{2})/.exec(n)?.[1]:void 0}function pe(t,e,r,s){let n=t??v(s,r.date)["progress.md"],i=`${r.body} <!-- key: ${r.key} -->`,a=(E(n,e)?.content??"").split(`
`).filter(d=>d.trim()&&!/^_.*_$/.test(d.trim())),l=a.findIndex(d=>at.exec(d)?.[1]===r.key);if(l>=0)a[l]=i;else{let d=a.findIndex(c=>(/^-\s+(\d{4}-\d{2}-\d{2})/.exec(c)?.[1]??"")<r.date);a.splice(d<0?a.length:d,0,i)}let u=e==="deploys"?"Deploys":s==="pt-BR"?"PRs integrados":"Merged pull requests";return ie(n,e,a.join(`
`),u)}var Vt=/^##\s+.*\b(current state|estado atual)\b.*\[[^\]]*\]\s*$/;function Zt(t,e){let r=b(e)==="production"||b(e)==="producao"?t==="pt-BR"?"produ\xE7\xE3o":"production":e;return t==="pt-BR"?{version:`Vers\xE3o em ${r}`,last:"\xDAltimo deploy",next:"Pr\xF3ximo marco"}:{version:`Version in ${r}`,last:"Last deploy",next:"Next milestone"}}function Ie(t,e,r){let n=(t??v(r,e.date)["activeContext.md"]).split(`
`),i=Zt(r,e.environment),o=`## ${h[r].currentState} [${e.date}]`,a=n.findIndex(m=>Vt.test(b(m)));if(a<0){let m=n.findIndex((y,$)=>$>0&&/^##\s/.test(y));a=m<0?n.length:m,n.splice(a,0,o,"",`- ${i.next}: \u2014`,"")}let l=n[a]??"",u=/\[[^\]]*\]/;n[a]=u.test(l)?l.replace(u,`[${e.date}]`):o;let d=n.findIndex((m,y)=>y>a&&/^#{1,2}\s/.test(m));d<0&&(d=n.length);let c=[e.date,e.environment,e.version,ot[r][e.result]].map(m=>x(m)).join(" \xB7 "),g=[[i.last,e.runUrl?`${c} \xB7 ${N({text:r==="pt-BR"?"execu\xE7\xE3o":"run",url:e.runUrl})}`:c]];e.result==="success"&&g.unshift([i.version,x(e.version)]);for(let[m,y]of g){let $=`- ${m}: ${y}`,P=n.findIndex((S,B)=>B>a&&B<d&&b(S).startsWith(`- ${b(m)}:`));if(P>=0)n[P]=$;else{let S=n.findIndex((fe,q)=>q>a&&q<d&&b(fe).startsWith(`- ${b(i.next)}:`)),B=n.findLastIndex((fe,q)=>q>a&&q<d&&/^\s*[-*]\s/.test(fe)),Q=S>=0?S:B>=0?B+1:a+2;for(;S<0&&B>=0&&Q<d&&/^\s+\S/.test(n[Q]??"");)Q++;n.splice(Q,0,$),d++}}return n.join(`
`)}import Jt from"node:path";var me=(t,e)=>Jt.posix.join(t.replace(/\\/g,"/"),e);function _e(t,e,r){let s=ce(t,r).key,n=t.date;return{key:`deploy-${t.environment}-${t.runId}`.replace(/[^A-Za-z0-9._-]+/g,"-"),message:`memory-bank: record deploy of ${t.version} to ${t.environment} (run ${t.runId})`,edits:[{path:me(e,"progress.md"),apply:i=>(n=De(i,"deploys",s)??t.date,pe(i,"deploys",ce({...t,date:n},r),r))},{path:me(e,"activeContext.md"),apply:i=>Ie(i,{...t,date:n},r)}]}}function Ue(t,e,r){let s=le(t).key;return{key:`pr-${t.number}`,message:`memory-bank: record merged pull request #${t.number}`,edits:[{path:me(e,"progress.md"),apply:n=>{let i=De(n,"merged-prs",s)??t.date;return pe(n,"merged-prs",le({...t,date:i}),r)}}]}}function qe(t,e,r){return{key:"index",message:"memory-bank: regenerate the ADR index",edits:[{path:me(e,"decisionLog.md"),apply:s=>de(s??v(t.language,r)["decisionLog.md"],t.adrs,t.language)}]}}import{mkdir as Qt,readFile as Xt,writeFile as er}from"node:fs/promises";import ut from"node:path";var V=class{#e;constructor(e){this.#e=e}async apply(e){let r=[];for(let s of e.edits){let n=ut.resolve(this.#e,s.path),i=await Xt(n,"utf8").catch(a=>{if(a.code!=="ENOENT")throw a}),o=s.apply(i);o!==i&&(await Qt(ut.dirname(n),{recursive:!0}),await er(n,o),r.push(s.path))}return{changed:r.length>0,files:r}}};function tr(t){return t instanceof A?t.status===409||t.status===422&&/fast.forward|reference cannot be updated/i.test(t.message):!1}var U=class{#e;#t;#r;#n;#s;#i;constructor(e,r,s,n={}){this.#e=e,this.#t=r,this.#r=s,this.#n=n.log,this.#s=n.attempts??6,this.#i=n.delayMs??250}async apply(e){for(let r=1;;r++)try{return await this.#a(e)}catch(s){if(!tr(s)||r>=this.#s)throw rr(s);this.#n?.info(`${this.#r} moved while committing (${s.status}); re-reading and re-applying (attempt ${r+1}/${this.#s})`),await new Promise(n=>setTimeout(n,this.#i*r*(.5+Math.random())))}}async#o(e,r){let s=w(this.#t),n;try{n=await this.#e.request("GET",`${s}/contents/${L(e)}`,{ref:r})}catch(o){if(o instanceof A&&o.status===404)return;throw o}if(n.encoding==="base64"&&n.content!==void 0)return Buffer.from(n.content,"base64").toString("utf8");let i=await this.#e.request("GET",`${s}/git/blobs/${n.sha}`);return Buffer.from(i.content,"base64").toString("utf8")}async#a(e){let r=w(this.#t),s=(await this.#e.request("GET",`${r}/git/ref/heads/${L(this.#r)}`)).object.sha,n=await this.#e.request("GET",`${r}/git/commits/${s}`),i=[];for(let l of e.edits){let u=await this.#o(l.path,s),d=l.apply(u);d!==u&&i.push({path:l.path,mode:"100644",type:"blob",content:d})}if(i.length===0)return{changed:!1,files:[]};let o=await this.#e.request("POST",`${r}/git/trees`,{base_tree:n.tree.sha,tree:i}),a=await this.#e.request("POST",`${r}/git/commits`,{message:e.message,tree:o.sha,parents:[s]});return await this.#e.request("PATCH",`${r}/git/refs/heads/${L(this.#r)}`,{sha:a.sha,force:!1}),{changed:!0,files:i.map(l=>l.path),commitSha:a.sha}}};function rr(t){return t instanceof A&&/protected branch/i.test(t.message)?new R(`${t.message}
The branch is protected: use mode pull-request, or allow the token to push to it.`,{cause:t}):t}var Z=class{#e;#t;#r;#n;constructor(e,r,s,n={}){this.#e=e,this.#t=r,this.#r=s,this.#n=n.log}async#s(e){return(await this.#e.paginate(`${w(this.#t)}/pulls`,{state:"open",head:`${this.#t.owner}:${e}`,base:this.#r}))[0]}async apply(e){let r=w(this.#t),s=`memory-bank/${e.key}`,n=await this.#s(s);if(!n){let o=(await this.#e.request("GET",`${r}/git/ref/heads/${L(this.#r)}`)).object.sha;try{await this.#e.request("GET",`${r}/git/ref/heads/${L(s)}`),await this.#e.request("PATCH",`${r}/git/refs/heads/${L(s)}`,{sha:o,force:!0})}catch(a){if(!(a instanceof A&&a.status===404))throw a;await this.#e.request("POST",`${r}/git/refs`,{ref:`refs/heads/${s}`,sha:o})}}let i=await new U(this.#e,this.#t,s,this.#n?{log:this.#n}:{}).apply(e);if(n)return{...i,pullRequestUrl:n.html_url};if(!i.changed)return i;try{n=await this.#e.request("POST",`${r}/pulls`,{title:e.message.split(`
`)[0],head:s,base:this.#r,body:`${e.message}

Opened by the memory-bank action; re-runs update this pull request.`})}catch(o){if(!(o instanceof A&&o.status===422))throw o;if(n=await this.#s(s),!n)throw new R(`Could not open a pull request from ${s}: ${o.message}`)}return{...i,pullRequestUrl:n.html_url}}};var dt=["record-deploy","record-progress","index","lint"],ct=["files","commit","pull-request"];function Oe(t,e){let r=t.enum("command",dt,{required:!0}),s=t.string("github-token");e.setSecret(s);let n=t.string("deploy-url");if(n&&!/^https?:\/\/[^\s]+$/.test(n))throw new p("deploy-url",`${t.label("deploy-url")} must be an http(s) URL, got '${n}'.`);let i=t.string("dir",{default:"memory-bank"});if(J.isAbsolute(i)||J.posix.normalize(i.replace(/\\/g,"/")).startsWith(".."))throw new p("dir",`${t.label("dir")} must be a folder inside the repository (relative path), got '${i}'.`);return{command:r,dir:i,language:t.enum("language",T),environment:t.string("environment",{default:"production"}),version:t.string("version"),deployUrl:n,result:t.enum("result",Be,{default:"success"}),pr:t.integer("pr",{min:1}),mode:t.enum("mode",ct,{default:"files"}),token:s}}function ge(t,e){if(t===void 0)throw new p(e,`${e} is not set; this command runs in a GitHub Actions workflow.`);return t}async function Me(t,e,r){let s=J.resolve(e.workspace,t.dir),n=J.relative(e.workspace,s).split(J.sep).join("/")||".",i=Se(r.now?.()),o=nr(s)?await ae(s,{language:t.language}):void 0,a=t.language??o?.language??"en",l,u=async()=>{if(!t.token)throw new p("github-token",`${t.command} in ${t.mode} mode needs github-token.`);return l??=await(r.github??K)(t.token,e.apiUrl),l},d=t.pr??e.event.pull_request?.number??e.event.number;if(t.command==="lint"){if(!o)throw new p("dir",`Memory bank folder '${t.dir}' does not exist.`);let g=Ne(o,{display:n});if(t.token&&e.repository&&d!==void 0)try{g.push(...await Pe(o,n,await u(),e.repository,d))}catch(m){r.log.warning(`ADR numbers were not compared with other open pull requests: ${C(m)}`)}return{command:"lint",changed:!1,files:[],problems:g}}let c;if(t.command==="index"){if(!o)throw new p("dir",`Memory bank folder '${t.dir}' does not exist.`);c=qe(o,n,i)}else if(t.command==="record-deploy")c=_e(await ir(t,e,i,r.log,t.token?u:void 0),n,a);else{let g=await or(ge(d,"pr"),e,t.token?u:void 0);if(!g)return{command:t.command,changed:!1,files:[],note:`Pull request #${d} is not merged; nothing recorded.`};c=Ue(g,n,a)}return{command:t.command,...await(await sr(t,e,u,r.log)).apply(c)}}async function sr(t,e,r,s){if(t.mode==="files")return new V(e.workspace);let n=ge(e.repository,"GITHUB_REPOSITORY"),i=e.ref?.startsWith("refs/heads/")?e.ref.slice(11):e.baseRef??e.event.repository?.default_branch;if(!i)throw new p("mode",`mode ${t.mode} needs a branch: the workflow runs on ${e.ref??"no ref"}, which is not a branch.`);return t.mode==="commit"?new U(await r(),n,i,{log:s}):new Z(await r(),n,i,{log:s})}async function ir(t,e,r,s,n){let i=ge(e.runId,"GITHUB_RUN_ID"),o=e.repository?`${e.serverUrl}/${e.repository.owner}/${e.repository.repo}`:void 0,a=e.ref?.startsWith("refs/tags/")?e.ref.slice(10):void 0,l=t.version??a??e.sha?.slice(0,7);if(!l)throw new p("version","version is required when the run has no tag or commit (GITHUB_SHA).");let u=t.pr??e.event.pull_request?.number;if(u===void 0&&n&&e.repository&&e.sha)try{u=(await(await n()).request("GET",`${w(e.repository)}/commits/${e.sha}/pulls`))[0]?.number}catch(d){s.warning(`Could not find the pull request of ${e.sha.slice(0,7)}: ${C(d)}`)}return{environment:t.environment,runId:i,version:l,result:t.result,date:r,commit:e.sha?{text:e.sha.slice(0,7),url:o&&`${o}/commit/${e.sha}`}:void 0,pullRequest:u===void 0?void 0:{text:`#${u}`,url:o&&`${o}/pull/${u}`},deployUrl:t.deployUrl,runUrl:o&&`${o}/actions/runs/${i}`}}async function or(t,e,r){let s=e.event.pull_request?.number===t?e.event.pull_request:void 0;if(!s){if(!r)throw new p("github-token",`Reading pull request #${t} needs github-token (the event does not carry it).`);s=await(await r()).request("GET",`${w(ge(e.repository,"GITHUB_REPOSITORY"))}/pulls/${t}`)}if(!s.merged_at)return;let n=s.merge_commit_sha??void 0,i=e.repository?`${e.serverUrl}/${e.repository.owner}/${e.repository.repo}`:void 0;return{number:t,title:s.title,url:s.html_url,author:s.user?.login,date:s.merged_at.slice(0,10),commit:n?{text:n.slice(0,7),url:i&&`${i}/commit/${n}`}:void 0}}function Ge(t){if(t.command==="lint"){let r=t.problems??[];return r.length===0?`### Memory bank lint

No problems found.
`:`### Memory bank lint

${r.length} problem(s):

${Y(["File","Line","Rule","Problem"],r.map(s=>[s.file,s.line,s.rule,s.message]))}`}let e=[`### Memory bank: ${t.command}`,""];return t.note?e.push(t.note):t.changed?e.push(`Updated ${t.files.map(r=>`\`${r}\``).join(", ")}.`):e.push("Already up to date: nothing changed."),t.commitSha&&e.push("",`Commit: ${t.commitSha}`),t.pullRequestUrl&&e.push("",`Pull request: ${t.pullRequestUrl}`),`${e.join(`
`)}
`}function He(t){let e=t.problems?.length??0;if(e>0)throw new O(`memory-bank lint found ${e} problem(s).`)}import{existsSync as ar,readFileSync as ur}from"node:fs";function je(t,e=process.cwd()){let r=t.GITHUB_EVENT_PATH,s=r&&ar(r)?JSON.parse(ur(r,"utf8")||"{}"):{};return{workspace:t.GITHUB_WORKSPACE||e,repository:t.GITHUB_REPOSITORY?ke(t.GITHUB_REPOSITORY,"GITHUB_REPOSITORY"):void 0,serverUrl:(t.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),apiUrl:(t.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),runId:t.GITHUB_RUN_ID||void 0,sha:t.GITHUB_SHA||void 0,ref:t.GITHUB_REF||void 0,baseRef:t.GITHUB_BASE_REF||void 0,event:s}}var gr={github:K};async function lt(t,e=gr){let r=Oe(t.inputs,t.log),s=await Me(r,je(t.env),{...e,log:t.log});for(let n of s.problems??[])t.log.error(n.message,{file:n.file,line:n.line,title:`memory-bank lint: ${n.rule}`});s.note?t.log.notice(s.note):r.command!=="lint"&&t.log.info(s.changed?`Updated ${s.files.join(", ")}`:"Already up to date: nothing changed."),await t.outputs.set({changed:s.changed,files:s.files,"commit-sha":s.commitSha??"","pull-request-url":s.pullRequestUrl??""}),await t.summary.write(Ge(s)),He(s)}await xe(lt);
