import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a as g,b as Ue,c as M,d as H,f as Ie,g as B,h as Z,k as le,m as ce}from"./chunk-XXETVT4U.js";import"./chunk-RUOKFGRG.js";var L=["en","pt-BR"],Q=["proposed","accepted","rejected","deprecated","superseded"],_e=["context","decision","consequences"],y={en:{status:{proposed:"proposed",accepted:"accepted",rejected:"rejected",deprecated:"deprecated",superseded:"superseded"},section:{context:"Context",decision:"Decision",alternatives:"Alternatives",consequences:"Consequences"},label:{status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"},currentState:"Current state",indexHeading:"ADR index",index:{adr:"ADR",title:"Title",status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"}},"pt-BR":{status:{proposed:"Proposto",accepted:"Aceito",rejected:"Rejeitado",deprecated:"Obsoleto",superseded:"Substitu\xEDdo"},section:{context:"Contexto",decision:"Decis\xE3o",alternatives:"Alternativas",consequences:"Consequ\xEAncias"},label:{status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"},currentState:"Estado Atual",indexHeading:"\xCDndice de ADRs",index:{adr:"ADR",title:"T\xEDtulo",status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"}}};function b(e){return e.normalize("NFKD").replace(new RegExp("\\p{Diacritic}","gu"),"").toLowerCase().trim()}var it=new Map([...Q.flatMap(e=>L.map(t=>[b(y[t].status[e]),e])),["aceita","accepted"],["proposta","proposed"],["rejeitada","rejected"],["obsoleta","deprecated"],["substituida","superseded"],["depreciado","deprecated"]]);function pe(e){let t=b(e).replace(/[*_`]/g,"").split(/[\s:,.(—–-]+/).find(Boolean);return t===void 0?void 0:it.get(t)}var ot=new Map([...["context","decision","alternatives","consequences"].flatMap(e=>L.map(t=>[b(y[t].section[e]),e])),["considered options","alternatives"],["options considered","alternatives"],["alternatives considered","alternatives"],["alternativas consideradas","alternatives"],["opcoes consideradas","alternatives"],["decision outcome","decision"],["context and problem statement","context"]]);function qe(e){return ot.get(b(e).replace(/[:.]$/,""))}function at(e){return L.includes(e)}function me(e){let t=0,n=0;for(let s of e)for(let r of s.split(`
`)){if(!/^#{1,3}\s|^\s*[-*]?\s*\**(status|data|date)\**\s*:/i.test(r))continue;let i=b(r);/\b(contexto|decisao|consequencias|estado atual|data|alternativas|registro de decisoes|progresso)\b/.test(i)?t++:/\b(context|decision|consequences|current state|date|alternatives|decision log|progress)\b/.test(i)&&n++}return t>n?"pt-BR":"en"}var U=/^ADR-(\d{1,5})(?:-([^/]+))?\.md$/i;function O(e){return String(e).padStart(3,"0")}function f(e){return`ADR-${O(e)}`}function Me(e){return e.normalize("NFKD").replace(new RegExp("\\p{Diacritic}","gu"),"").toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,60).replace(/-+$/,"")||"decision"}function ge(e,t){return`${f(e)}-${Me(t)}.md`}function D(e){return[...e.matchAll(/\bADR[-\s]?(\d{1,5})\b/gi)].map(t=>Number(t[1]))}function fe(e){let t=b(e).replace(/[*_]/g,"").trim();if(["status","estado","situacao"].includes(t))return"status";if(["date","data","decision date","data da decisao"].includes(t))return"date";if(["supersedes","substitui","replaces"].includes(t))return"supersedes";if(["superseded by","substituido por","replaced by"].includes(t))return"supersededBy"}var ut=/^(\s*(?:[-*]\s+)?\**([\p{L} ]{2,30}?)\**\s*:\s*\**\s*)(.*?)(\s*\**\s*)$/u,dt=/^(?:ADR[-\s]?\d+|\d+\.)\s*(?:[:.–—-]\s*)?/i;function E(e,t){let n=U.exec(e);if(!n)throw new Error(`${e} is not an ADR file name (expected ADR-NNN-<slug>.md or ADR-NNN.md)`);let s=t.split(`
`),r={file:e,number:Number(n[1]),...n[2]?{slug:n[2]}:{},title:"",supersedes:[],supersededBy:[],sections:new Map,meta:{},titleLine:1,bodyStart:0,text:t},i=(c,p,m,h,S="")=>{r.meta[c]||(r.meta[c]={index:p,prefix:m,value:h,suffix:S})},o=0;if(s[0]?.trim()==="---"){for(o=1;o<s.length&&s[o]?.trim()!=="---";o++){let c=/^(\s*([\w ]+?)\s*:\s*(["']?))(.*?)(\3\s*)$/.exec(s[o]??""),p=c&&fe(c[2]??"");c&&p&&i(p,o,c[1]??"",c[4]??"",c[5]??"")}o++,r.bodyStart=o}let a=!0,u=!1;for(;o<s.length;o++){let c=s[o]??"",p=/^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(c);if(p){let S=p[1]?.length??0,P=p[2]??"";if(S===1&&!r.title){r.title=P.replace(dt,"").trim()||P.trim(),r.titleLine=o+1;continue}a=!1,u=fe(P)==="status";let R=qe(P);R&&!r.sections.has(R)&&r.sections.set(R,o+1);continue}if(!c.trim())continue;let m=ut.exec(c),h=m&&fe(m[2]??"");if(m&&h&&(a||u)){i(h,o,m[1]??"",m[3]??"",m[4]??"");continue}u&&!r.meta.status&&i("status",o,c.match(/^\s*/)?.[0]??"",c.trim())}let d=r.meta.status;if(d){r.statusText=d.value.replace(/[*_`]/g,"").trim();let c=pe(d.value);c&&(r.status=c),c==="superseded"&&r.supersededBy.push(...D(d.value))}let l=r.meta.date?.value.match(/\d{4}-\d{2}-\d{2}/)?.[0]??r.meta.date?.value;return l&&(r.date=l),r.meta.supersedes&&r.supersedes.push(...D(r.meta.supersedes.value)),r.meta.supersededBy&&r.supersededBy.push(...D(r.meta.supersededBy.value)),r.supersedes=Ge(r.supersedes),r.supersededBy=Ge(r.supersededBy),r.title||(r.title=f(r.number)),r}function Ge(e){return[...new Set(e)].sort((t,n)=>t-n)}function ye(e){return`[${f(e.number)}](${e.file})`}var lt={en:{context:"What forces are at play (technical, product, team)? What problem does this decision answer, and why now?",decision:'What we decided, stated in full sentences ("We will \u2026").',alternatives:"Each option considered, with why it was not chosen.",consequences:"What becomes easier or harder because of this decision, including risks and follow-up work."},"pt-BR":{context:"Quais for\xE7as est\xE3o em jogo (t\xE9cnicas, de produto, da equipe)? Que problema esta decis\xE3o resolve, e por que agora?",decision:'O que decidimos, em frases completas ("Vamos \u2026").',alternatives:"Cada op\xE7\xE3o considerada, com o motivo de n\xE3o ter sido escolhida.",consequences:"O que fica mais f\xE1cil ou mais dif\xEDcil por causa desta decis\xE3o, incluindo riscos e trabalho a fazer."}};function he(e){let t=y[e.language],n=[`# ${f(e.number)}: ${e.title}`,"",`- ${t.label.status}: ${t.status[e.status]}`,`- ${t.label.date}: ${e.date}`];e.supersedes&&n.push(`- ${t.label.supersedes}: ${ye(e.supersedes)}`),n.push("");for(let s of["context","decision","alternatives","consequences"])n.push(`## ${t.section[s]}`,"",lt[e.language][s],"");return n.join(`
`)}function J(e,t,n,s){let r=e.text.split(`
`),i=e.meta[t];if(i){let p=t==="status"&&new RegExp("^[*_`]*\\p{Lu}","u").test(i.value)?n.replace(new RegExp("^\\p{Ll}","u"),m=>m.toUpperCase()):n;return r[i.index]=`${i.prefix}${p}${i.suffix}`,r.join(`
`)}let o=y[s].label,a={status:o.status,date:o.date,supersedes:o.supersedes,supersededBy:o.supersededBy}[t],u=Object.values(e.meta).filter(p=>p.index>=e.bodyStart),d=Math.max(e.titleLine-1,e.bodyStart-1,...u.map(p=>p.index)),c=d===e.titleLine-1?["",`- ${a}: ${n}`]:[`- ${a}: ${n}`];return r.splice(d+1,0,...c),r.join(`
`)}import{existsSync as et,readFileSync as Ot}from"node:fs";import V from"node:path";import{existsSync as pt}from"node:fs";import{mkdir as mt,readdir as ft,readFile as gt,writeFile as yt}from"node:fs/promises";import Oe from"node:path";function He(e){return{start:new RegExp(`<!--\\s*${e}:start\\b[^>]*-->`),end:new RegExp(`<!--\\s*${e}:end\\s*-->`)}}function X(e){return{start:`<!-- ${e}:start -->`,end:`<!-- ${e}:end -->`}}function C(e,t){let{start:n,end:s}=He(t),r=n.exec(e);if(!r)return;let i=r.index+r[0].length,o=s.exec(e.slice(i));return o?{content:e.slice(i,i+o.index).replace(/^\r?\n/,"").replace(/\r?\n$/,""),line:e.slice(0,r.index).split(`
`).length}:void 0}function ct(e,t,n){let{start:s,end:r}=He(t),i=s.exec(e);if(!i)return;let o=i.index+i[0].length,a=r.exec(e.slice(o));if(a)return`${e.slice(0,o)}
${n}
${e.slice(o+a.index)}`}function ee(e,t,n,s){let r=ct(e,t,n);if(r!==void 0)return r;let{start:i,end:o}=X(t),a=e.trimEnd();return`${a}${a?`

`:""}## ${s}

${i}
${n}
${o}
`}var F=["activeContext.md","decisionLog.md","productContext.md","progress.md","systemPatterns.md"];function I(e,t){let{start:n,end:s}=X(e);return`${n}
${t}
${s}`}function w(e,t){let n=y[e];return e==="pt-BR"?{"activeContext.md":`# Contexto Ativo

Como o sistema est\xE1 agora: vers\xE3o em produ\xE7\xE3o, o que est\xE1 em andamento, o que vem a seguir.
O bloco "${n.currentState}" \xE9 reescrito pelo CI a cada deploy (a\xE7\xE3o \`memory-bank\`, \`record-deploy\`);
o restante \xE9 escrito pela equipe.

## ${n.currentState} [${t}]

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

## ${n.indexHeading}

${I("adr-index","_Nenhuma decis\xE3o registrada ainda._")}
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

${I("deploys","_Nenhum deploy registrado ainda._")}

## PRs integrados

${I("merged-prs","_Nenhum PR registrado ainda._")}
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
The "${n.currentState}" block is rewritten by CI on every deploy (\`memory-bank\` action, \`record-deploy\`);
the rest is written by the team.

## ${n.currentState} [${t}]

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

## ${n.indexHeading}

${I("adr-index","_No decisions recorded yet._")}
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

${I("deploys","_No deploys recorded yet._")}

## Merged pull requests

${I("merged-prs","_No pull requests recorded yet._")}
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
`}}async function $(e,t={}){if(!pt(e))throw new g("dir",`Memory bank folder '${e}' does not exist. Create it with 'pipeline-toolkit memory-bank init'.`);let n=new Map;for(let i of(await ft(e,{withFileTypes:!0})).sort((o,a)=>o.name.localeCompare(a.name)))i.isFile()&&i.name.toLowerCase().endsWith(".md")&&n.set(i.name,await gt(Oe.join(e,i.name),"utf8"));let s=[...n].filter(([i])=>U.test(i)).map(([i,o])=>E(i,o));s.sort((i,o)=>i.number-o.number||i.file.localeCompare(o.file));let r=t.language??me([n.get("decisionLog.md")??"",n.get("activeContext.md")??"",...s.map(i=>i.text)]);return{dir:e,language:r,files:n,adrs:s}}function j(e,t){let n=e.adrs.filter(s=>s.number===t);if(n.length===0){let s=e.adrs.map(r=>r.number).join(", ")||"none";throw new g("number",`There is no ADR ${t} in ${e.dir} (ADRs: ${s}).`)}if(n.length>1)throw new g("number",`ADR ${t} is ambiguous: ${n.map(s=>s.file).join(", ")}. Renumber one first ('pipeline-toolkit adr renumber').`);return n[0]}async function ht(e,t,n){await mt(e,{recursive:!0});let s=w(t,n),r={created:[],kept:[]};for(let i of F)try{await yt(Oe.join(e,i),s[i],{flag:"wx"}),r.created.push(i)}catch(o){if(o.code!=="EEXIST")throw o;r.kept.push(i)}return r}function be(e=new Date){return e.toISOString().slice(0,10)}var A=class extends M{status;constructor(t,n){super(n),this.name="GitHubError",this.status=t}};function x(e){return`/repos/${encodeURIComponent(e.owner)}/${encodeURIComponent(e.repo)}`}function v(e){return e.split("/").map(encodeURIComponent).join("/")}function xe(e,t="repository"){let n=/^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(e.trim());if(!n)throw new g(t,`'${e}' is not a repository: expected owner/name.`);return{owner:n[1],repo:n[2]}}function bt(e){let t=/[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(e.trim());return t?{owner:t[1],repo:t[2]}:void 0}async function we(e,t=process.env.GITHUB_API_URL||"https://api.github.com"){let{getOctokit:n}=await import("./github-OEKY5D5P.js"),s=n(e,{baseUrl:t}),r=async(i,o)=>{try{return await i()}catch(a){let u=a.status;if(typeof u!="number")throw new M(`GitHub API ${o} failed: ${a.message}`,{cause:a});let d=a.response?.data?.message??a.message;throw new A(u,`GitHub API ${o} answered ${u}: ${d}`)}};return{request:(i,o,a={})=>r(async()=>(await s.request(`${i} ${o}`,a)).data,`${i} ${o}`),paginate:(i,o={})=>r(async()=>await s.paginate(`GET ${i}`,{per_page:100,...o}),`GET ${i}`)}}import Rt from"node:path";import Fe from"node:path";function je(e,t){return e.flatMap(n=>{let s=Fe.posix.basename(n),r=U.exec(s);return r?[{number:Number(r[1]),file:s,source:t}]:[]})}async function We(e,t=ce){let n=await t("git",["rev-parse","--show-toplevel","--show-prefix"],{cwd:e,okExitCodes:[0,128]});if(n.exitCode!==0)return;let[s="",r=""]=n.stdout.split(`
`);return{top:s.trim(),prefix:r.trim()}}async function xt(e,t={}){let n=t.exec??ce,s;try{s=await We(e,n)}catch(a){return t.log?.debug(`git is not available, branches not considered: ${H(a)}`),[]}if(!s)return t.log?.debug(`${e} is not in a git repository; branches not considered`),[];let r=await n("git",["for-each-ref","--format=%(objectname) %(refname:short)","refs/heads","refs/remotes"],{cwd:s.top}),i=new Map;for(let a of r.stdout.split(`
`)){let[u,d]=a.trim().split(" ");u&&d&&!i.has(u)&&i.set(u,d)}let o=[];for(let[a,u]of i){let d=["ls-tree","--name-only",a,...s.prefix?["--",s.prefix]:[]],l=await n("git",d,{cwd:s.top});o.push(...je(l.stdout.split(`
`),`branch ${u}`))}return o}function wt(e){return e.replace(/^\.?\/+/,"").replace(/\/*$/,"")||"."}async function te(e,t,n,s){let i=(await e.paginate(`${x(t)}/pulls/${s}/files`)).filter(o=>["added","renamed","copied"].includes(o.status)&&Fe.posix.dirname(o.filename)===wt(n));return je(i.map(o=>o.filename),`pull request #${s}`)}async function Re(e,t,n,s={}){let r=await e.paginate(`${x(t)}/pulls`,{state:"open"}),i=[];for(let o of r)o.number!==s.exclude&&i.push(...await te(e,t,n,o.number));return i}function $e(e){return Math.max(0,...e.map(t=>t.number))+1}function Ae(e,t){let n=[];for(let s of e){let r=t.find(i=>i.number===s.number&&i.file!==s.file&&!e.some(o=>o.file===i.file));r&&n.push({local:s,other:r})}return n}function Ye(e,t,n){let s=e.adrs.map(r=>({number:r.number,file:r.file,source:"local"}));return Ae(s,n).map(({local:r,other:i})=>({file:Rt.posix.join(t,r.file),line:e.adrs.find(o=>o.file===r.file)?.titleLine??1,rule:"number",message:`${f(r.number)} is also taken by ${i.file} in ${i.source}; renumber one of them ('pipeline-toolkit adr renumber ${r.number} <free number>')`}))}async function ke(e,t,n,s,r){let i=await te(n,s,t,r);if(i.length===0)return[];let o=await Re(n,s,t,{exclude:r}),a={...e,adrs:e.adrs.filter(u=>i.some(d=>d.file===u.file))};return Ye(a,t,o)}import{existsSync as At}from"node:fs";import Ze from"node:path";function $t(e,t){return e.status?y[t].status[e.status]:e.statusText??"\u2014"}function Ke(e,t){return e.length===0?"\u2014":{markdown:e.map(s=>{let r=t.find(i=>i.number===s);return r?le(f(s),r.file).markdown:f(s)}).join(", ")}}function Se(e,t){let n=y[t].index;if(e.length===0)return t==="pt-BR"?"_Nenhuma decis\xE3o registrada ainda._":"_No decisions recorded yet._";let s=e.map(r=>[f(r.number),le(r.title,r.file),$t(r,t),r.date??"\u2014",Ke(r.supersedes,e),Ke(r.supersededBy,e)]);return Z([n.adr,n.title,n.status,n.date,n.supersedes,n.supersededBy],s).trimEnd()}function W(e,t,n){return ee(e,"adr-index",Se(t,n),y[n].indexHeading)}function Le(e,t,n){return C(e,"adr-index")?.content.trim()===Se(t,n).trim()}var k=1024,Ee={"activeContext.md":12*k,"productContext.md":24*k,"systemPatterns.md":48*k,"decisionLog.md":48*k,"progress.md":96*k,adr:24*k,other:48*k},Ve={"activeContext.md":"keep only the current state here and move history to progress.md","progress.md":"move older entries to an archive file (e.g. progress-2025.md)",adr:"split the decision or move background material to systemPatterns.md"},kt=/\b(?:password|passwd|senha|secret|api[_-]?key|access[_-]?key|token|client[_-]?secret)\b\s*[:=]\s*["']?([^\s"'`]{8,})/i,St=/^(?:\*+|x+|<[^>]*>|\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]+\}?|(?:secrets|env|vars)\.\w+|changeme|example\S*|redacted|\.{3})$/i,Lt=/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+[.,;:]?$/;function Et(e){if(Ie(e))return!0;let t=kt.exec(e),n=t?.[1]??"";return!!(t&&!St.test(n)&&!Lt.test(n))}function Ct(e,t){return e.slice(0,t).split(`
`).length}var ze=L.map(e=>Q.map(t=>y[e].status[t]).join("/")).join(" or "),Pt=e=>`'${y.en.section[e]}' (pt-BR '${y["pt-BR"].section[e]}')`;function Ce(e,t={}){let n={...Ee,...t.budgets},s=[],r=u=>Ze.join(t.display??e.dir,u),i=(u,d,l,c)=>s.push({file:r(u),line:d,rule:l,message:c});for(let u of F)e.files.has(u)||i(u,1,"missing-file",`${u} is missing; 'pipeline-toolkit memory-bank init' creates it without touching existing files`);for(let u of e.adrs)Bt(e,u,i);let o=Map.groupBy(e.adrs,u=>u.number);for(let[u,d]of o)if(!(d.length<2))for(let l of d){let c=d.filter(p=>p!==l).map(p=>p.file);i(l.file,l.titleLine,"number",`${f(u)} is also used by ${c.join(", ")}; give one a free number with 'pipeline-toolkit adr renumber'`)}let a=e.files.get("decisionLog.md");if(a!==void 0){let u=C(a,"adr-index");u?Le(a,e.adrs,e.language)||i("decisionLog.md",u.line,"index","the ADR index is out of date; run 'pipeline-toolkit memory-bank index'"):i("decisionLog.md",1,"index","has no ADR index (<!-- adr-index:start --> \u2026 <!-- adr-index:end -->); run 'pipeline-toolkit memory-bank index'")}for(let[u,d]of e.files){Tt(e,u,d,i),d.split(`
`).forEach((m,h)=>{Et(m)&&i(u,h+1,"secret","looks like a secret (token, key or password); remove it and rotate it if it was real")});let l=u in n?u:e.adrs.some(m=>m.file===u)?"adr":"other",c=n[l]??Ee.other??0,p=Buffer.byteLength(d);if(p>c){let m=Ve[l]?`: ${Ve[l]}`:"";i(u,1,"size",`is ${(p/k).toFixed(1)} KB, over its ${(c/k).toFixed(0)} KB budget${m}`)}}return s.sort((u,d)=>u.file.localeCompare(d.file)||u.line-d.line)}function Bt(e,t,n){let s=i=>(t.meta[i]?.index??t.titleLine-1)+1;/^#\s/m.test(t.text)||n(t.file,1,"title",`has no '# ${f(t.number)}: Title' heading`);let r=/^#\s+ADR[-\s]?(\d+)/im.exec(t.text);r&&Number(r[1])!==t.number&&n(t.file,t.titleLine,"title",`title says ADR ${Number(r[1])} but the file name says ${f(t.number)}`);for(let i of _e)t.sections.has(i)||n(t.file,t.titleLine,"section",`missing section ${Pt(i)}`);t.meta.status?t.status||n(t.file,s("status"),"status",`status '${t.statusText}' is not one of ${ze}`):n(t.file,t.titleLine,"status",`has no status line ('- Status: accepted'); statuses: ${ze}`),t.meta.date?(!/^\d{4}-\d{2}-\d{2}$/.test(t.date??"")||Number.isNaN(Date.parse(t.date??"")))&&n(t.file,s("date"),"date",`date '${t.meta.date.value}' is not a date in YYYY-MM-DD form`):n(t.file,t.titleLine,"date","has no date line ('- Date: YYYY-MM-DD')");for(let i of t.supersedes){let o=e.adrs.find(a=>a.number===i);o?(!o.supersededBy.includes(t.number)||o.status!=="superseded")&&n(o.file,vt(o),"supersede",`${t.file} supersedes it, but it is not marked 'superseded' by ${f(t.number)}; run 'pipeline-toolkit adr supersede' or add the line`):n(t.file,s("supersedes"),"supersede",`supersedes ${f(i)}, which does not exist`)}for(let i of t.supersededBy){let o=e.adrs.find(a=>a.number===i);o?o.supersedes.includes(t.number)||n(o.file,o.titleLine,"supersede",`${t.file} says it is superseded by ${f(i)}, but this ADR does not say it supersedes ${f(t.number)}`):n(t.file,s("status"),"supersede",`superseded by ${f(i)}, which does not exist`)}t.status==="superseded"&&t.supersededBy.length===0&&n(t.file,s("status"),"supersede","is superseded but does not name its successor ('Superseded by: ADR-NNN')")}function vt(e){return(e.meta.supersededBy?.index??e.meta.status?.index??e.titleLine-1)+1}var Nt=/(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;function Tt(e,t,n,s){let r=Dt(n);for(let i of n.matchAll(Nt)){if(r.some(([d,l])=>i.index>=d&&i.index<l))continue;let o=i[1]??"";if(/^[a-z][a-z0-9+.-]*:/i.test(o)||o.startsWith("#"))continue;let a=decodeURIComponent(o.split("#")[0]??"");if(!a||At(Ze.resolve(e.dir,a)))continue;let u=D(a).map(d=>e.adrs.find(l=>l.number===d)).find(Boolean);s(t,Ct(n,i.index),"link",`link target '${o}' does not exist${u?` (did you mean ${u.file}?)`:""}`)}}function Dt(e){let t=[],n=/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm;for(let s of e.matchAll(n))t.push([s.index,s.index+s[0].length]);return t}var Pe=["success","failure","cancelled","skipped"],Qe={en:{success:"success",failure:"failure",cancelled:"cancelled",skipped:"skipped"},"pt-BR":{success:"sucesso",failure:"falha",cancelled:"cancelado",skipped:"ignorado"}};function N(e){let t=B(e.text);return e.url?`[${t}](${e.url})`:t}function ne(e,t){let n=[e.date,`**${B(e.environment)}**`,B(e.version)];return e.commit&&n.push(N(e.commit)),e.pullRequest&&n.push(N(e.pullRequest)),e.deployUrl&&n.push(N({text:"deploy",url:e.deployUrl})),n.push(Qe[t][e.result]),e.runUrl&&n.push(N({text:t==="pt-BR"?"execu\xE7\xE3o":"run",url:e.runUrl})),{key:`deploy/${e.environment}/${e.runId}`,body:`- ${n.join(" \xB7 ")}`,date:e.date}}function re(e){let t=[e.date,N({text:`#${e.number} ${e.title}`,url:e.url})];return e.author&&t.push(`@${B(e.author)}`),e.commit&&t.push(N(e.commit)),{key:`pr/${e.number}`,body:`- ${t.join(" \xB7 ")}`,date:e.date}}var Je=/<!--\s*key:\s*(\S+)\s*-->/;function Be(e,t,n){let r=(e===void 0?void 0:C(e,t)?.content)?.split(`
`).find(i=>Je.exec(i)?.[1]===n);return r?/^-\s+(\d{4}-\d{2}-\d{2})/.exec(r)?.[1]:void 0}function se(e,t,n,s){let r=e??w(s,n.date)["progress.md"],i=`${n.body} <!-- key: ${n.key} -->`,a=(C(r,t)?.content??"").split(`
`).filter(l=>l.trim()&&!/^_.*_$/.test(l.trim())),u=a.findIndex(l=>Je.exec(l)?.[1]===n.key);if(u>=0)a[u]=i;else{let l=a.findIndex(c=>(/^-\s+(\d{4}-\d{2}-\d{2})/.exec(c)?.[1]??"")<n.date);a.splice(l<0?a.length:l,0,i)}let d=t==="deploys"?"Deploys":s==="pt-BR"?"PRs integrados":"Merged pull requests";return ee(r,t,a.join(`
`),d)}var Ut=/^##\s+.*\b(current state|estado atual)\b.*\[[^\]]*\]\s*$/;function It(e,t){let n=b(t)==="production"||b(t)==="producao"?e==="pt-BR"?"produ\xE7\xE3o":"production":t;return e==="pt-BR"?{version:`Vers\xE3o em ${n}`,last:"\xDAltimo deploy",next:"Pr\xF3ximo marco"}:{version:`Version in ${n}`,last:"Last deploy",next:"Next milestone"}}function ve(e,t,n){let r=(e??w(n,t.date)["activeContext.md"]).split(`
`),i=It(n,t.environment),o=`## ${y[n].currentState} [${t.date}]`,a=r.findIndex(m=>Ut.test(b(m)));if(a<0){let m=r.findIndex((h,S)=>S>0&&/^##\s/.test(h));a=m<0?r.length:m,r.splice(a,0,o,"",`- ${i.next}: \u2014`,"")}let u=r[a]??"",d=/\[[^\]]*\]/;r[a]=d.test(u)?u.replace(d,`[${t.date}]`):o;let l=r.findIndex((m,h)=>h>a&&/^#{1,2}\s/.test(m));l<0&&(l=r.length);let c=[t.date,t.environment,t.version,Qe[n][t.result]].map(m=>B(m)).join(" \xB7 "),p=[[i.last,t.runUrl?`${c} \xB7 ${N({text:n==="pt-BR"?"execu\xE7\xE3o":"run",url:t.runUrl})}`:c]];t.result==="success"&&p.unshift([i.version,B(t.version)]);for(let[m,h]of p){let S=`- ${m}: ${h}`,P=r.findIndex((R,T)=>T>a&&T<l&&b(R).startsWith(`- ${b(m)}:`));if(P>=0)r[P]=S;else{let R=r.findIndex((de,G)=>G>a&&G<l&&b(de).startsWith(`- ${b(i.next)}:`)),T=r.findLastIndex((de,G)=>G>a&&G<l&&/^\s*[-*]\s/.test(de)),z=R>=0?R:T>=0?T+1:a+2;for(;R<0&&T>=0&&z<l&&/^\s+\S/.test(r[z]??"");)z++;r.splice(z,0,S),l++}}return r.join(`
`)}import _t from"node:path";var ie=(e,t)=>_t.posix.join(e.replace(/\\/g,"/"),t);function Ne(e,t,n){let s=ne(e,n).key,r=e.date;return{key:`deploy-${e.environment}-${e.runId}`.replace(/[^A-Za-z0-9._-]+/g,"-"),message:`memory-bank: record deploy of ${e.version} to ${e.environment} (run ${e.runId})`,edits:[{path:ie(t,"progress.md"),apply:i=>(r=Be(i,"deploys",s)??e.date,se(i,"deploys",ne({...e,date:r},n),n))},{path:ie(t,"activeContext.md"),apply:i=>ve(i,{...e,date:r},n)}]}}function Te(e,t,n){let s=re(e).key;return{key:`pr-${e.number}`,message:`memory-bank: record merged pull request #${e.number}`,edits:[{path:ie(t,"progress.md"),apply:r=>{let i=Be(r,"merged-prs",s)??e.date;return se(r,"merged-prs",re({...e,date:i}),n)}}]}}function De(e,t,n){return{key:"index",message:"memory-bank: regenerate the ADR index",edits:[{path:ie(t,"decisionLog.md"),apply:s=>W(s??w(e.language,n)["decisionLog.md"],e.adrs,e.language)}]}}import{mkdir as qt,readFile as Gt,writeFile as Mt}from"node:fs/promises";import Xe from"node:path";var Y=class{#e;constructor(t){this.#e=t}async apply(t){let n=[];for(let s of t.edits){let r=Xe.resolve(this.#e,s.path),i=await Gt(r,"utf8").catch(a=>{if(a.code!=="ENOENT")throw a}),o=s.apply(i);o!==i&&(await qt(Xe.dirname(r),{recursive:!0}),await Mt(r,o),n.push(s.path))}return{changed:n.length>0,files:n}}},Ht=[409,422],_=class{#e;#t;#n;#r;#s;#i;constructor(t,n,s,r={}){this.#e=t,this.#t=n,this.#n=s,this.#r=r.log,this.#s=r.attempts??6,this.#i=r.delayMs??250}async apply(t){for(let n=1;;n++)try{return await this.#a(t)}catch(s){if(!(s instanceof A&&Ht.includes(s.status))||n>=this.#s)throw s;this.#r?.info(`${this.#n} moved while committing (${s.status}); re-reading and re-applying (attempt ${n+1}/${this.#s})`),await new Promise(r=>setTimeout(r,this.#i*n*(.5+Math.random())))}}async#o(t,n){let s=x(this.#t),r;try{r=await this.#e.request("GET",`${s}/contents/${v(t)}`,{ref:n})}catch(o){if(o instanceof A&&o.status===404)return;throw o}if(r.encoding==="base64"&&r.content!==void 0)return Buffer.from(r.content,"base64").toString("utf8");let i=await this.#e.request("GET",`${s}/git/blobs/${r.sha}`);return Buffer.from(i.content,"base64").toString("utf8")}async#a(t){let n=x(this.#t),s=(await this.#e.request("GET",`${n}/git/ref/heads/${v(this.#n)}`)).object.sha,r=await this.#e.request("GET",`${n}/git/commits/${s}`),i=[];for(let u of t.edits){let d=await this.#o(u.path,s),l=u.apply(d);l!==d&&i.push({path:u.path,mode:"100644",type:"blob",content:l})}if(i.length===0)return{changed:!1,files:[]};let o=await this.#e.request("POST",`${n}/git/trees`,{base_tree:r.tree.sha,tree:i}),a=await this.#e.request("POST",`${n}/git/commits`,{message:t.message,tree:o.sha,parents:[s]});return await this.#e.request("PATCH",`${n}/git/refs/heads/${v(this.#n)}`,{sha:a.sha,force:!1}),{changed:!0,files:i.map(u=>u.path),commitSha:a.sha}}},K=class{#e;#t;#n;#r;constructor(t,n,s,r={}){this.#e=t,this.#t=n,this.#n=s,this.#r=r.log}async#s(t){return(await this.#e.paginate(`${x(this.#t)}/pulls`,{state:"open",head:`${this.#t.owner}:${t}`,base:this.#n}))[0]}async apply(t){let n=x(this.#t),s=`memory-bank/${t.key}`,r=await this.#s(s);if(!r){let o=(await this.#e.request("GET",`${n}/git/ref/heads/${v(this.#n)}`)).object.sha;try{await this.#e.request("GET",`${n}/git/ref/heads/${v(s)}`),await this.#e.request("PATCH",`${n}/git/refs/heads/${v(s)}`,{sha:o,force:!0})}catch(a){if(!(a instanceof A&&a.status===404))throw a;await this.#e.request("POST",`${n}/git/refs`,{ref:`refs/heads/${s}`,sha:o})}}let i=await new _(this.#e,this.#t,s,this.#r?{log:this.#r}:{}).apply(t);if(r)return{...i,pullRequestUrl:r.html_url};if(!i.changed)return i;try{r=await this.#e.request("POST",`${n}/pulls`,{title:t.message.split(`
`)[0],head:s,base:this.#n,body:`${t.message}

Opened by the memory-bank action; re-runs update this pull request.`})}catch(o){if(!(o instanceof A&&o.status===422))throw o;if(r=await this.#s(s),!r)throw new M(`Could not open a pull request from ${s}: ${o.message}`)}return{...i,pullRequestUrl:r.html_url}}};var tt=["record-deploy","record-progress","index","lint"],nt=["files","commit","pull-request"];function Ft(e,t){let n=e.string("github-token");t.setSecret(n);let s=e.string("deploy-url");if(s&&!/^https?:\/\/[^\s]+$/.test(s))throw new g("deploy-url",`${e.label("deploy-url")} must be an http(s) URL, got '${s}'.`);let r=e.string("dir",{default:"memory-bank"});if(V.isAbsolute(r)||V.posix.normalize(r.replace(/\\/g,"/")).startsWith(".."))throw new g("dir",`${e.label("dir")} must be a folder inside the repository (relative path), got '${r}'.`);return{command:e.enum("command",tt,{required:!0}),dir:r,language:e.enum("language",L),environment:e.string("environment",{default:"production"}),version:e.string("version"),deployUrl:s,result:e.enum("result",Pe,{default:"success"}),pr:e.integer("pr",{min:1}),mode:e.enum("mode",nt,{default:"files"}),token:n}}function jt(e,t=process.cwd()){let n=e.GITHUB_EVENT_PATH,s=n&&et(n)?JSON.parse(Ot(n,"utf8")||"{}"):{};return{workspace:e.GITHUB_WORKSPACE||t,repository:e.GITHUB_REPOSITORY?xe(e.GITHUB_REPOSITORY,"GITHUB_REPOSITORY"):void 0,serverUrl:(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),apiUrl:(e.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),runId:e.GITHUB_RUN_ID||void 0,sha:e.GITHUB_SHA||void 0,ref:e.GITHUB_REF||void 0,baseRef:e.GITHUB_BASE_REF||void 0,event:s}}function oe(e,t){if(e===void 0)throw new g(t,`${t} is not set; this command runs in a GitHub Actions workflow.`);return e}async function Wt(e,t,n){let s=V.resolve(t.workspace,e.dir),r=V.relative(t.workspace,s).split(V.sep).join("/")||".",i=be(n.now?.()),o=et(s)?await $(s,{language:e.language}):void 0,a=e.language??o?.language??"en",u,d=async()=>{if(!e.token)throw new g("github-token",`${e.command} in ${e.mode} mode needs github-token.`);return u??=await(n.github??we)(e.token,t.apiUrl),u},l=e.pr??t.event.pull_request?.number??t.event.number;if(e.command==="lint"){if(!o)throw new g("dir",`Memory bank folder '${e.dir}' does not exist.`);let p=Ce(o,{display:r});if(e.token&&t.repository&&l!==void 0)try{p.push(...await ke(o,r,await d(),t.repository,l))}catch(m){n.log.warning(`ADR numbers were not compared with other open pull requests: ${H(m)}`)}return{command:"lint",changed:!1,files:[],problems:p}}let c;if(e.command==="index"){if(!o)throw new g("dir",`Memory bank folder '${e.dir}' does not exist.`);c=De(o,r,i)}else if(e.command==="record-deploy")c=Ne(await Kt(e,t,i,n.log,e.token?d:void 0),r,a);else{let p=await Vt(oe(l,"pr"),t,e.token?d:void 0);if(!p)return{command:e.command,changed:!1,files:[],note:`Pull request #${l} is not merged; nothing recorded.`};c=Te(p,r,a)}return{command:e.command,...await(await Yt(e,t,d,n.log)).apply(c)}}async function Yt(e,t,n,s){if(e.mode==="files")return new Y(t.workspace);let r=oe(t.repository,"GITHUB_REPOSITORY"),i=t.ref?.startsWith("refs/heads/")?t.ref.slice(11):t.baseRef??t.event.repository?.default_branch;if(!i)throw new g("mode",`mode ${e.mode} needs a branch: the workflow runs on ${t.ref??"no ref"}, which is not a branch.`);return e.mode==="commit"?new _(await n(),r,i,{log:s}):new K(await n(),r,i,{log:s})}async function Kt(e,t,n,s,r){let i=oe(t.runId,"GITHUB_RUN_ID"),o=t.repository?`${t.serverUrl}/${t.repository.owner}/${t.repository.repo}`:void 0,a=t.ref?.startsWith("refs/tags/")?t.ref.slice(10):void 0,u=e.version??a??t.sha?.slice(0,7);if(!u)throw new g("version","version is required when the run has no tag or commit (GITHUB_SHA).");let d=e.pr??t.event.pull_request?.number;if(d===void 0&&r&&t.repository&&t.sha)try{d=(await(await r()).request("GET",`${x(t.repository)}/commits/${t.sha}/pulls`))[0]?.number}catch(l){s.warning(`Could not find the pull request of ${t.sha.slice(0,7)}: ${H(l)}`)}return{environment:e.environment,runId:i,version:u,result:e.result,date:n,commit:t.sha?{text:t.sha.slice(0,7),url:o&&`${o}/commit/${t.sha}`}:void 0,pullRequest:d===void 0?void 0:{text:`#${d}`,url:o&&`${o}/pull/${d}`},deployUrl:e.deployUrl,runUrl:o&&`${o}/actions/runs/${i}`}}async function Vt(e,t,n){let s=t.event.pull_request?.number===e?t.event.pull_request:void 0;if(!s){if(!n)throw new g("github-token",`Reading pull request #${e} needs github-token (the event does not carry it).`);s=await(await n()).request("GET",`${x(oe(t.repository,"GITHUB_REPOSITORY"))}/pulls/${e}`)}if(!s.merged_at)return;let r=s.merge_commit_sha??void 0,i=t.repository?`${t.serverUrl}/${t.repository.owner}/${t.repository.repo}`:void 0;return{number:e,title:s.title,url:s.html_url,author:s.user?.login,date:s.merged_at.slice(0,10),commit:r?{text:r.slice(0,7),url:i&&`${i}/commit/${r}`}:void 0}}function zt(e){if(e.command==="lint"){let n=e.problems??[];return n.length===0?`### Memory bank lint

No problems found.
`:`### Memory bank lint

${n.length} problem(s):

${Z(["File","Line","Rule","Problem"],n.map(s=>[s.file,s.line,s.rule,s.message]))}`}let t=[`### Memory bank: ${e.command}`,""];return e.note?t.push(e.note):e.changed?t.push(`Updated ${e.files.map(n=>`\`${n}\``).join(", ")}.`):t.push("Already up to date: nothing changed."),e.commitSha&&t.push("",`Commit: ${e.commitSha}`),e.pullRequestUrl&&t.push("",`Pull request: ${e.pullRequestUrl}`),`${t.join(`
`)}
`}function Zt(e){let t=e.problems?.length??0;if(t>0)throw new Ue(`memory-bank lint found ${t} problem(s).`)}import{existsSync as Qt}from"node:fs";import{mkdir as Jt,readFile as Xt,rename as en,writeFile as st}from"node:fs/promises";import q from"node:path";async function ae(e,t,n,s){e.files.get(t)!==n&&(await st(q.join(e.dir,t),n),e.files.set(t,n),s.add(t))}async function ue(e,t,n){let s=await $(e.dir,{language:e.language}),r=s.files.get("decisionLog.md")??w(e.language,n)["decisionLog.md"];await ae(s,"decisionLog.md",W(r,s.adrs,s.language),t)}function tn(e,t,n){let s=y[n],r=J(e,"status",s.status.superseded,n),i=E(e.file,r),o=[...new Set([...e.supersededBy.filter(a=>a!==t.number).map(a=>f(a)),ye(t)])];return r=J(i,"supersededBy",o.join(", "),n),r}async function nn(e,t){let n=t.title.trim();if(!n)throw new g("title",'The ADR title is required: pipeline-toolkit adr new "Title".');await Jt(e,{recursive:!0});let s=await $(e,{language:t.language}),r=t.supersedes===void 0?void 0:j(s,t.supersedes),i=s.adrs.map(l=>({number:l.number,file:l.file,source:"local"})),o=$e([...i,...t.usedElsewhere??[]]),a=ge(o,n),u=he({number:o,title:n,status:t.status??"proposed",date:t.date,language:s.language,...r?{supersedes:r}:{}});await st(q.join(e,a),u,{flag:"wx"});let d=new Set([a]);return r&&await ae(s,r.file,tn(r,{number:o,file:a},s.language),d),await ue(s,d,t.date),{adr:E(a,u),files:[...d]}}async function rn(e,t,n,s){let r=await $(e,{language:s.language}),i=j(r,t),o=new Set;return await ae(r,i.file,J(i,"status",y[r.language].status[n],r.language),o),await ue(r,o,s.date),{adr:E(i.file,r.files.get(i.file)??""),files:[...o]}}async function sn(e,t,n,s){let r=await $(e,{language:s.language}),i=r.adrs.filter(c=>c.number===t&&(!s.file||c.file===s.file));if(i.length!==1)throw i.length===0&&j(r,t),new g("number",`ADR ${t} is used by ${i.map(c=>c.file).join(" and ")}; say which one with --file.`);let o=i[0],a=r.adrs.find(c=>c.number===n);if(a)throw new g("number",`${f(n)} is already used by ${a.file}; pick a free number.`);let u=o.file.replace(/^ADR-\d+/i,`ADR-${O(n)}`);if(Qt(q.join(e,u)))throw new g("number",`${u} already exists.`);let d=new Set,l=r.adrs.some(c=>c!==o&&c.number===t);for(let[c,p]of r.files){let m=l?p.split(o.file).join(u).replace(an(t),h=>c===o.file?rt(h,n):h):p.replace(on(t),h=>rt(h,n));await ae(r,c,m,d)}return await en(q.join(e,o.file),q.join(e,u)),d.delete(o.file),d.add(u),r.files.set(u,r.files.get(o.file)??""),r.files.delete(o.file),await ue(r,d,s.date),{adr:E(u,await Xt(q.join(e,u),"utf8")),files:[...d]}}function on(e){return new RegExp(`\\bADR([-\\s]?)0*${e}(?!\\d)`,"gi")}function an(e){return new RegExp(`^#\\s+ADR([-\\s]?)0*${e}(?!\\d)`,"im")}function rt(e,t){return e.replace(/(ADR[-\s]?)0*\d+$/i,(n,s)=>`${s}${O(t)}`)}async function un(e,t){let n=await $(e,{language:t.language}),s=new Set;return await ue(n,s,t.date),[...s]}export{U as ADR_FILE,F as BANK_FILES,tt as COMMANDS,_ as CommitStore,Ee as DEFAULT_BUDGETS,A as GitHubError,L as LANGUAGES,Y as LocalStore,nt as MODES,K as PullRequestStore,Pe as RESULTS,Q as STATUSES,y as VOCABULARY,ge as adrFileName,f as adrId,D as adrRefs,w as bankTemplates,X as blockMarkers,xt as branchNumbers,zt as ciSummary,ke as collisionProblems,Ye as collisionProblemsFrom,Ae as collisions,nn as createAdr,we as createGitHub,Ne as deployChange,ne as deployEntry,me as detectLanguage,j as findAdr,O as formatNumber,We as gitLocation,De as indexChange,Le as indexIsCurrent,ht as initBank,at as isLanguage,Ce as lintBank,Zt as lintGate,Te as mergedPullRequestChange,$e as nextNumber,E as parseAdr,xe as parseRepository,pe as parseStatus,te as pullRequestAdrs,re as pullRequestEntry,Re as pullRequestNumbers,$ as readBank,C as readBlock,Ft as readCiInputs,he as renderAdr,Se as renderIndex,sn as renumberAdr,bt as repositoryFromRemote,Wt as runCi,jt as runContext,rn as setAdrStatus,Me as slugify,be as today,ve as updateCurrentState,W as updateDecisionLog,se as upsertEntry,un as writeIndex};
